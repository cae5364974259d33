using System.Net;
using System.Text;
using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.Tasks;

/// <summary>Every bad task body is a 400 problem naming the field, and nothing is written.</summary>
public sealed class TaskValidationTests(GopherCronApp app) : IClassFixture<GopherCronApp>
{
    private const string Valid = """{"name": "valid", "cron": "0 * * * *", "config": {"command": "true"}""";

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"name": "", "cron": "0 * * * *", "config": {"command": "true"}}""", "name" },
        { """{"name": "x", "cron": "61 * * * *", "config": {"command": "true"}}""", "cron" },
        { """{"name": "x", "cron": "@every 500ms", "config": {"command": "true"}}""", "cron" },
        { """{"name": "x", "cron": "", "config": {"command": "true"}}""", "cron" },
        { Valid + """, "timeZone": "Mars/Olympus"}""", "timeZone" },
        { Valid + """, "executor": "nope"}""", "executor" },
        { """{"name": "x", "cron": "0 * * * *", "config": {}}""", "config.command" },
        { """{"name": "x", "cron": "0 * * * *"}""", "config.command" },
        { """{"name": "x", "cron": "0 * * * *", "config": {"command": "true", "comand": "typo"}}""", "config.comand" },
        { Valid + """, "timeoutSeconds": 0}""", "timeoutSeconds" },
        { Valid + """, "overlap": "sometimes"}""", "overlap" },
        { Valid + """, "misfire": "later"}""", "misfire" },
        { Valid + """, "retry": {"attempts": 99, "backoffSeconds": 0}}""", "retry.attempts" },
        { Valid + """, "timeoutSeconds": "abc"}""", "timeoutSeconds" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_task_body_is_a_400_problem_naming_the_field_and_creates_nothing(string body, string field)
    {
        var (client, projectId) = await ProjectAsync();

        var created = await client.PostAsync($"/api/v1/projects/{projectId}/tasks", Json(body));

        await created.ShouldBeProblemAsync(HttpStatusCode.BadRequest, field);
        await AssertNoTasksAsync(client, projectId);
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_update_is_refused_the_same_way_and_leaves_the_task_as_it_was(string body, string field)
    {
        var (client, projectId) = await ProjectAsync();
        var id = await client.CreateTaskIdAsync(projectId, TaskApi.ShellTask("0 * * * *", "echo keep", "keep"));

        var updated = await client.PutAsync($"/api/v1/projects/{projectId}/tasks/{id}", Json(body));

        await updated.ShouldBeProblemAsync(HttpStatusCode.BadRequest, field);
        var task = await (await client.GetAsync($"/api/v1/projects/{projectId}/tasks/{id}")).ReadJsonAsync();
        task.GetProperty("name").GetString().ShouldBe("keep");
        task.GetProperty("config").GetProperty("command").GetString().ShouldBe("echo keep");
    }

    [Fact]
    public async Task The_too_frequent_schedule_problem_names_the_minimum_period()
    {
        var (client, projectId) = await ProjectAsync();

        var response = await client.PostAsync($"/api/v1/projects/{projectId}/tasks",
            Json("""{"name": "x", "cron": "@every 500ms", "config": {"command": "true"}}"""));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "cron");
        problem.GetProperty("errors").GetProperty("cron")[0].GetString()!.ShouldContain("minimum period is 1 s");
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        var (client, projectId) = await ProjectAsync();

        var response = await client.PostAsync($"/api/v1/projects/{projectId}/tasks", Json("""{"name": "x", "cron": """));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await AssertNoTasksAsync(client, projectId);
    }

    [Fact]
    public async Task An_unknown_top_level_property_is_a_400_problem_naming_it()
    {
        var (client, projectId) = await ProjectAsync();

        var response = await client.PostAsync($"/api/v1/projects/{projectId}/tasks", Json(Valid + """, "timeout": 5}"""));

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).ToString().ShouldContain("timeout");
        await AssertNoTasksAsync(client, projectId);
    }

    [Fact]
    public async Task The_cron_preview_lists_the_next_instants_in_utc_for_a_zone()
    {
        using var client = await app.AdminClientAsync();

        var response = await client.GetAsync("/api/v1/cron/preview?expression=" + Uri.EscapeDataString("0 9 * * MON-FRI") + "&timeZone=Europe/Berlin&count=7");

        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var preview = await response.ReadJsonAsync();
        preview.GetProperty("timeZone").GetString().ShouldBe("Europe/Berlin");
        var raw = preview.GetProperty("next").EnumerateArray().Select(n => n.GetString()!).ToList();
        raw.Count.ShouldBe(7);
        var next = raw.Select(DateTimeOffset.Parse).ToList();
        next.ShouldBeInOrder(SortDirection.Ascending);
        next[0].ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        raw.ShouldAllBe(r => r.EndsWith('Z') || r.EndsWith("+00:00"));
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        foreach (var instant in next)
        {
            var local = TimeZoneInfo.ConvertTime(instant, berlin);
            (local.Hour, local.Minute).ShouldBe((9, 0));
            local.DayOfWeek.ShouldNotBeOneOf(DayOfWeek.Saturday, DayOfWeek.Sunday);
            // 09:00 in Berlin is 08:00Z in winter (CET) and 07:00Z in summer (CEST).
            instant.UtcDateTime.Hour.ShouldBe(berlin.IsDaylightSavingTime(instant) ? 7 : 8);
        }
    }

    [Theory]
    [InlineData("expression=61+*+*+*+*", "expression")]
    [InlineData("timeZone=UTC", "expression")]
    [InlineData("expression=0+9+*+*+*&timeZone=Mars/Olympus", "timeZone")]
    [InlineData("expression=0+9+*+*+*&count=0", "count")]
    [InlineData("expression=0+9+*+*+*&count=abc", "count")]
    [InlineData("expression=0+9+*+*+*&count=101", "count")]
    public async Task A_bad_cron_preview_is_a_400_problem_naming_the_parameter(string query, string field)
    {
        using var client = await app.AdminClientAsync();

        var response = await client.GetAsync("/api/v1/cron/preview?" + query);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, field);
    }

    private async Task<(HttpClient Client, long ProjectId)> ProjectAsync()
    {
        var (_, client) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(client);
        return (client, project.Id);
    }

    private static async Task AssertNoTasksAsync(HttpClient client, long projectId)
    {
        var list = await (await client.GetAsync($"/api/v1/projects/{projectId}/tasks")).ReadJsonAsync();
        list.GetProperty("total").GetInt64().ShouldBe(0);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
