using System.Net;
using System.Net.Http.Json;
using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.AdminUi;

/// <summary><c>POST /api/v1/projects/{id}/tasks/{taskId}/copy</c>: the whole definition, paused, here or in another project.</summary>
public sealed class CopyTaskTests(GopherCronApp app) : IClassFixture<GopherCronApp>
{
    private const string Never = "0 0 1 1 *";

    [Fact]
    public async Task A_copy_in_the_same_project_gets_a_free_name_and_starts_paused()
    {
        using var admin = await app.AdminClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(admin);
        var source = await admin.CreateTaskAsync(project.Id, TaskApi.ShellTask("*/5 * * * *", "echo hi", name: "nightly",
            extra: new { timeZone = "Europe/Berlin", timeoutSeconds = 42, retry = new { attempts = 2, backoffSeconds = 5 }, labels = new { zone = "north" } }));

        var first = await CopyAsync(admin, project.Id, source.Id(), new { });
        var second = await CopyAsync(admin, project.Id, source.Id(), new { });

        first.GetProperty("name").GetString().ShouldBe("nightly (copy)");
        second.GetProperty("name").GetString().ShouldBe("nightly (copy 2)");
        first.GetProperty("enabled").GetBoolean().ShouldBeFalse();
        first.Id().ShouldNotBe(source.Id());
        foreach (var field in new[] { "cron", "timeZone", "executor", "timeoutSeconds", "overlap", "misfire" })
        {
            first.GetProperty(field).ToString().ShouldBe(source.GetProperty(field).ToString(), field);
        }

        first.GetProperty("config").GetProperty("command").GetString().ShouldBe("echo hi");
        first.GetProperty("retry").GetProperty("attempts").GetInt32().ShouldBe(2);
        first.GetProperty("labels").GetProperty("zone").GetString().ShouldBe("north");
    }

    [Fact]
    public async Task A_copy_into_another_project_needs_manager_there()
    {
        var (_, user) = await app.CreateUserClientAsync();
        var source = await GopherCronApp.CreateProjectAsync(user);
        var taskId = await user.CreateTaskIdAsync(source.Id, TaskApi.ShellTask(Never, "echo hi", name: "job"));
        using var admin = await app.AdminClientAsync();
        var managed = await GopherCronApp.CreateProjectAsync(admin);
        var viewed = await GopherCronApp.CreateProjectAsync(admin);
        var foreign = await GopherCronApp.CreateProjectAsync(admin);
        var account = (await user.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/auth/me")).GetProperty("account").GetString()!;
        await GopherCronApp.AddMemberAsync(admin, managed.Id, account, "manager");
        await GopherCronApp.AddMemberAsync(admin, viewed.Id, account, "viewer");

        var copy = await CopyAsync(user, source.Id, taskId, new { targetProjectId = managed.Id });
        copy.GetProperty("projectId").GetInt64().ShouldBe(managed.Id);
        copy.GetProperty("name").GetString().ShouldBe("job");
        (await user.GetAsync($"/api/v1/projects/{managed.Id}/tasks/{copy.Id()}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var asViewer = await user.PostAsJsonAsync($"/api/v1/projects/{source.Id}/tasks/{taskId}/copy", new { targetProjectId = viewed.Id });
        await asViewer.ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        using var notMember = await user.PostAsJsonAsync($"/api/v1/projects/{source.Id}/tasks/{taskId}/copy", new { targetProjectId = foreign.Id });
        await notMember.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "targetProjectId");
    }

    [Fact]
    public async Task Names_are_checked()
    {
        using var admin = await app.AdminClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(admin);
        var taskId = await admin.CreateTaskIdAsync(project.Id, TaskApi.ShellTask(Never, "echo hi", name: "taken"));

        using var duplicate = await admin.PostAsJsonAsync($"/api/v1/projects/{project.Id}/tasks/{taskId}/copy", new { name = "taken" });
        await duplicate.ShouldBeProblemAsync(HttpStatusCode.Conflict);

        using var tooLong = await admin.PostAsJsonAsync($"/api/v1/projects/{project.Id}/tasks/{taskId}/copy", new { name = new string('x', 101) });
        await tooLong.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "name");

        using var badTarget = await admin.PostAsJsonAsync($"/api/v1/projects/{project.Id}/tasks/{taskId}/copy", new { targetProjectId = 0 });
        await badTarget.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "targetProjectId");

        using var unknownTask = await admin.PostAsJsonAsync($"/api/v1/projects/{project.Id}/tasks/999999/copy", new { });
        await unknownTask.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_viewer_of_the_source_cannot_copy()
    {
        using var admin = await app.AdminClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(admin);
        var taskId = await admin.CreateTaskIdAsync(project.Id, TaskApi.ShellTask(Never, "echo hi"));
        var (viewer, client) = await app.CreateUserClientAsync();
        await GopherCronApp.AddMemberAsync(admin, project.Id, viewer.Account, "viewer");

        using var response = await client.PostAsJsonAsync($"/api/v1/projects/{project.Id}/tasks/{taskId}/copy", new { });

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    private static async Task<System.Text.Json.JsonElement> CopyAsync(HttpClient client, long projectId, long taskId, object body)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/projects/{projectId}/tasks/{taskId}/copy", body);
        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return await response.ReadJsonAsync();
    }
}
