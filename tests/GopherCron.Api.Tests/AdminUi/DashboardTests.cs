using System.Net;
using System.Text.Json;
using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.AdminUi;

/// <summary><c>GET /api/v1/reports/dashboard</c>: runs per day by status, tasks per project, recent failures, by membership.</summary>
public sealed class DashboardTests(GopherCronApp app) : IClassFixture<GopherCronApp>
{
    private const string Never = "0 0 1 1 *";

    [Fact]
    public async Task A_member_sees_its_projects_runs_tasks_and_failures_and_nothing_of_others()
    {
        var (_, owner) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(owner);
        var good = await owner.CreateTaskIdAsync(project.Id, TaskApi.ShellTask(Never, "echo ok"));
        var bad = await owner.CreateTaskIdAsync(project.Id, TaskApi.ShellTask(Never, "exit 3", name: "breaks"));
        await owner.WaitForEndAsync(await owner.RunNowAsync(project.Id, good));
        await owner.WaitForEndAsync(await owner.RunNowAsync(project.Id, good));
        var failedRun = await owner.RunNowAsync(project.Id, bad);
        await owner.WaitForEndAsync(failedRun);

        var (_, outsider) = await app.CreateUserClientAsync();
        var otherProject = await GopherCronApp.CreateProjectAsync(outsider);
        var otherTask = await outsider.CreateTaskIdAsync(otherProject.Id, TaskApi.ShellTask(Never, "exit 1"));
        await outsider.WaitForEndAsync(await outsider.RunNowAsync(otherProject.Id, otherTask));

        var dashboard = await GetAsync(owner, "?days=7");

        var days = dashboard.GetProperty("days").EnumerateArray().ToList();
        days.Count.ShouldBe(7);
        days[^1].GetProperty("date").GetString().ShouldBe(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        var today = days[^1].GetProperty("runs");
        today.GetProperty("succeeded").GetInt64().ShouldBe(2);
        today.GetProperty("failed").GetInt64().ShouldBe(1);
        days.Take(6).ShouldAllBe(d => !d.GetProperty("runs").EnumerateObject().Any());

        var perProject = dashboard.GetProperty("tasksPerProject").EnumerateArray().ToList();
        perProject.Count.ShouldBe(1);
        perProject[0].GetProperty("projectId").GetInt64().ShouldBe(project.Id);
        perProject[0].GetProperty("tasks").GetInt32().ShouldBe(2);
        perProject[0].GetProperty("enabled").GetInt32().ShouldBe(2);

        var failures = dashboard.GetProperty("recentFailures").EnumerateArray().ToList();
        failures.Count.ShouldBe(1);
        failures[0].GetProperty("runId").GetInt64().ShouldBe(failedRun);
        failures[0].GetProperty("taskName").GetString().ShouldBe("breaks");
        failures[0].GetProperty("projectName").GetString().ShouldBe(project.Name);
        failures[0].GetProperty("exitCode").GetInt32().ShouldBe(3);
    }

    [Fact]
    public async Task A_system_administrator_sees_every_project()
    {
        var (_, owner) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(owner);
        using var admin = await app.AdminClientAsync();

        var dashboard = await GetAsync(admin, "");

        dashboard.GetProperty("days").GetArrayLength().ShouldBe(14);
        dashboard.GetProperty("tasksPerProject").EnumerateArray().Select(p => p.GetProperty("projectId").GetInt64()).ShouldContain(project.Id);
    }

    [Theory]
    [InlineData("?days=0", "days")]
    [InlineData("?days=91", "days")]
    [InlineData("?days=many", "days")]
    [InlineData("?utcOffsetMinutes=900", "utcOffsetMinutes")]
    [InlineData("?utcOffsetMinutes=east", "utcOffsetMinutes")]
    public async Task Bad_parameters_are_named(string query, string field)
    {
        using var admin = await app.AdminClientAsync();

        using var response = await admin.GetAsync("/api/v1/reports/dashboard" + query);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, field);
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync("/api/v1/reports/dashboard" + query);
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return await response.ReadJsonAsync();
    }
}
