using System.Net;
using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.AdminUi;

/// <summary><c>GET /api/v1/projects/{id}/runs</c>: a project's run history across its tasks, newest first.</summary>
public sealed class ProjectRunsTests(GopherCronApp app) : IClassFixture<GopherCronApp>
{
    private const string Never = "0 0 1 1 *";

    [Fact]
    public async Task Lists_the_runs_of_every_task_newest_first_with_a_status_filter()
    {
        using var admin = await app.AdminClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(admin);
        var a = await admin.CreateTaskIdAsync(project.Id, TaskApi.ShellTask(Never, "echo a"));
        var b = await admin.CreateTaskIdAsync(project.Id, TaskApi.ShellTask(Never, "exit 1"));
        var first = await admin.RunNowAsync(project.Id, a);
        await admin.WaitForEndAsync(first);
        var second = await admin.RunNowAsync(project.Id, b);
        await admin.WaitForEndAsync(second);

        using var all = await admin.GetAsync($"/api/v1/projects/{project.Id}/runs");
        await all.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var page = await all.ReadJsonAsync();
        page.GetProperty("total").GetInt64().ShouldBe(2);
        page.GetProperty("items").EnumerateArray().Select(r => r.Id()).ShouldBe([second, first]);

        using var failed = await admin.GetAsync($"/api/v1/projects/{project.Id}/runs?status=failed");
        var failedPage = await failed.ReadJsonAsync();
        failedPage.GetProperty("items").EnumerateArray().Select(r => r.Id()).ShouldBe([second]);
    }

    [Fact]
    public async Task Non_members_get_404_and_bad_queries_name_the_field()
    {
        using var admin = await app.AdminClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(admin);
        var (_, outsider) = await app.CreateUserClientAsync();

        using var hidden = await outsider.GetAsync($"/api/v1/projects/{project.Id}/runs");
        await hidden.ShouldBeProblemAsync(HttpStatusCode.NotFound);

        using var bad = await admin.GetAsync($"/api/v1/projects/{project.Id}/runs?status=done");
        await bad.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "status");
    }
}
