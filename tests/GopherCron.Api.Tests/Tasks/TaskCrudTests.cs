using System.Net;
using System.Net.Http.Json;
using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.Tasks;

public sealed class TaskCrudTests(GopherCronApp app) : IClassFixture<GopherCronApp>
{
    [Fact]
    public async Task A_created_task_answers_201_with_its_location_and_the_documented_defaults()
    {
        var (_, client) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(client);
        var before = DateTimeOffset.UtcNow;

        var response = await client.PostAsJsonAsync($"/api/v1/projects/{project.Id}/tasks",
            new { name = "nightly backup", cron = "0 3 * * *", config = new { command = "echo backup" } });

        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var task = await response.ReadJsonAsync();
        var id = task.Id();
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/projects/{project.Id}/tasks/{id}");
        task.GetProperty("projectId").GetInt64().ShouldBe(project.Id);
        task.GetProperty("name").GetString().ShouldBe("nightly backup");
        task.GetProperty("timeZone").GetString().ShouldBe("UTC");
        task.GetProperty("executor").GetString().ShouldBe("shell");
        task.GetProperty("config").GetProperty("command").GetString().ShouldBe("echo backup");
        task.GetProperty("timeoutSeconds").GetInt32().ShouldBe(300);
        task.GetProperty("overlap").GetString().ShouldBe("allow");
        task.GetProperty("misfire").GetString().ShouldBe("skip");
        task.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        task.GetProperty("parallel").GetBoolean().ShouldBeFalse();
        task.GetProperty("retry").GetProperty("attempts").GetInt32().ShouldBe(0);
        var next = task.GetProperty("nextFireAt").GetDateTimeOffset();
        next.ShouldBeGreaterThan(before);
        next.ShouldBeLessThanOrEqualTo(before.AddDays(1).AddMinutes(1));
        (next.Hour, next.Minute, next.Second, next.Offset).ShouldBe((3, 0, 0, TimeSpan.Zero));

        var fetched = await (await client.GetAsync(response.Headers.Location)).ReadJsonAsync();
        fetched.Id().ShouldBe(id);
        fetched.GetProperty("cron").GetString().ShouldBe("0 3 * * *");
    }

    [Fact]
    public async Task The_list_pages_by_name_and_searches_by_part_of_the_name()
    {
        var (_, client) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(client);
        foreach (var name in new[] { "e-report", "a-cleanup", "d-report", "c-sync", "b-report" })
        {
            await client.CreateTaskAsync(project.Id, TaskApi.ShellTask("0 0 * * *", "true", name));
        }

        var second = await (await client.GetAsync($"/api/v1/projects/{project.Id}/tasks?page=2&pageSize=2")).ReadJsonAsync();
        var search = await (await client.GetAsync($"/api/v1/projects/{project.Id}/tasks?search=report")).ReadJsonAsync();

        second.GetProperty("total").GetInt64().ShouldBe(5);
        second.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ShouldBe(["c-sync", "d-report"]);
        search.GetProperty("total").GetInt64().ShouldBe(3);
        search.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ShouldBe(["b-report", "d-report", "e-report"]);
        await (await client.GetAsync($"/api/v1/projects/{project.Id}/tasks?pageSize=0")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "pageSize");
    }

    [Fact]
    public async Task Put_replaces_the_whole_definition_and_absent_fields_fall_back_to_defaults()
    {
        var (_, client) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(client);
        var id = await client.CreateTaskIdAsync(project.Id, TaskApi.ShellTask("0 3 * * *", "echo one", "report",
            new { timeZone = "Europe/Berlin", timeoutSeconds = 60, overlap = "forbid", misfire = "fireAll", remark = "first" }));

        var response = await client.PutAsJsonAsync($"/api/v1/projects/{project.Id}/tasks/{id}",
            new { name = "report v2", cron = "30 4 * * *", config = new { command = "echo two" }, enabled = false });

        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var task = await (await client.GetAsync($"/api/v1/projects/{project.Id}/tasks/{id}")).ReadJsonAsync();
        task.GetProperty("name").GetString().ShouldBe("report v2");
        task.GetProperty("cron").GetString().ShouldBe("30 4 * * *");
        task.GetProperty("config").GetProperty("command").GetString().ShouldBe("echo two");
        task.GetProperty("timeZone").GetString().ShouldBe("UTC");
        task.GetProperty("timeoutSeconds").GetInt32().ShouldBe(300);
        task.GetProperty("overlap").GetString().ShouldBe("allow");
        task.GetProperty("misfire").GetString().ShouldBe("skip");
        task.GetProperty("remark").GetString().ShouldBe("");
        task.GetProperty("enabled").GetBoolean().ShouldBeFalse();
        task.GetProperty("nextFireAt").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task Task_names_are_unique_per_project_only()
    {
        var (_, client) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(client);
        var other = await GopherCronApp.CreateProjectAsync(client);
        await client.CreateTaskAsync(project.Id, TaskApi.ShellTask("0 1 * * *", "true", "sync"));
        var renamed = await client.CreateTaskIdAsync(project.Id, TaskApi.ShellTask("0 1 * * *", "true", "backup"));

        var duplicate = await client.PostAsJsonAsync($"/api/v1/projects/{project.Id}/tasks", TaskApi.ShellTask("0 2 * * *", "true", "sync"));
        var renameOnto = await client.PutAsJsonAsync($"/api/v1/projects/{project.Id}/tasks/{renamed}", TaskApi.ShellTask("0 2 * * *", "true", "sync"));
        var elsewhere = await client.PostAsJsonAsync($"/api/v1/projects/{other.Id}/tasks", TaskApi.ShellTask("0 2 * * *", "true", "sync"));
        var keepOwnName = await client.PutAsJsonAsync($"/api/v1/projects/{project.Id}/tasks/{renamed}", TaskApi.ShellTask("0 2 * * *", "true", "backup"));

        (await duplicate.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Detail().ShouldContain("sync");
        await renameOnto.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await elsewhere.ShouldHaveStatusAsync(HttpStatusCode.Created);
        await keepOwnName.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var list = await (await client.GetAsync($"/api/v1/projects/{project.Id}/tasks")).ReadJsonAsync();
        list.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ShouldBe(["backup", "sync"]);
    }

    [Fact]
    public async Task A_task_of_another_project_is_not_found_through_this_one()
    {
        var (_, client) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(client);
        var other = await GopherCronApp.CreateProjectAsync(client);
        var id = await client.CreateTaskIdAsync(project.Id, TaskApi.ShellTask("0 1 * * *", "true"));

        await (await client.GetAsync($"/api/v1/projects/{other.Id}/tasks/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"/api/v1/projects/{other.Id}/tasks/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/api/v1/projects/{project.Id}/tasks/{id}")).ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_deleted_task_is_gone_and_fires_no_more()
    {
        var (_, client) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(client);
        var id = await client.CreateTaskIdAsync(project.Id, TaskApi.ShellTask("* * * * * *", "echo deleted-task-tick"));
        await client.WaitForRunsAsync(project.Id, id, runs => runs.Count >= 2, "the every-second task to fire twice");

        var deleted = await client.DeleteAsync($"/api/v1/projects/{project.Id}/tasks/{id}");

        await deleted.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await (await client.GetAsync($"/api/v1/projects/{project.Id}/tasks/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"/api/v1/projects/{project.Id}/tasks/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        // A fire already claimed when the delete landed may still be recorded; after a second nothing new may appear.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var settled = (await client.RunsAsync(project.Id, id)).Count;
        await Task.Delay(TimeSpan.FromSeconds(3));
        (await client.RunsAsync(project.Id, id)).Count.ShouldBe(settled);
    }
}
