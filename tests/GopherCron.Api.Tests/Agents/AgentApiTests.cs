using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.Agents;

/// <summary>The agents list, live weight changes and label requirements, with the embedded agent.</summary>
public sealed class AgentApiTests
{
    [Fact]
    public async Task The_embedded_agent_is_listed_with_its_executors_and_a_fresh_heartbeat()
    {
        await using var app = new GopherCronApp();
        var admin = await app.AdminClientAsync();
        var (_, user) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(user);

        var all = await admin.GetFromJsonAsync<JsonElement>("/api/v1/agents");
        var agent = all.EnumerateArray().Single();
        agent.GetProperty("name").GetString().ShouldStartWith("embedded@");
        agent.GetProperty("executors").EnumerateArray().Select(e => e.GetString()).ShouldContain("shell");
        agent.GetProperty("weight").GetInt32().ShouldBe(100);
        agent.GetProperty("projects").ValueKind.ShouldBe(JsonValueKind.Null);
        (DateTimeOffset.UtcNow - agent.GetProperty("lastHeartbeatAt").GetDateTimeOffset()).ShouldBeLessThan(TimeSpan.FromSeconds(30));

        // It serves every project, so every member sees it, per project and overall.
        (await user.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{project.Id}/agents")).GetArrayLength().ShouldBe(1);
        (await user.GetFromJsonAsync<JsonElement>("/api/v1/agents")).GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Agents_of_a_project_are_hidden_from_non_members()
    {
        await using var app = new GopherCronApp();
        var (_, owner) = await app.CreateUserClientAsync();
        var (_, stranger) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(owner);

        var response = await stranger.GetAsync($"/api/v1/projects/{project.Id}/agents");
        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Weight_zero_takes_an_agent_out_of_dispatch_at_once_and_survives_a_restart()
    {
        // One store for two hosts in turn, whichever store the suite runs on.
        await using var store = TestDatabase.Create();
        GopherCronApp Host() => new() { Database = store };
        {
            string agentName;
            await using (var app = Host())
            {
                var admin = await app.AdminClientAsync();
                var project = await GopherCronApp.CreateProjectAsync(admin);
                agentName = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/agents"))[0].GetProperty("name").GetString()!;
                var task = await admin.CreateTaskIdAsync(project.Id, TaskApi.ShellTask("0 0 1 1 *", "echo weighed", extra: new { enabled = false }));

                var set = await admin.PutAsJsonAsync($"/api/v1/agents/{Uri.EscapeDataString(agentName)}/weight", new { weight = 0 });
                set.StatusCode.ShouldBe(HttpStatusCode.OK, await set.Content.ReadAsStringAsync());
                var answer = await set.Content.ReadFromJsonAsync<JsonElement>();
                answer.GetProperty("weight").GetInt32().ShouldBe(0);
                var listed = answer.GetProperty("agents")[0];
                listed.GetProperty("weight").GetInt32().ShouldBe(0);
                listed.GetProperty("configuredWeight").GetInt32().ShouldBe(100);

                var run = await admin.WaitForEndAsync(await admin.RunNowAsync(project.Id, task));
                run.Status().ShouldBe("failed");
                run.Error()!.ShouldContain("no agent online");
            }

            await using (var app = Host())
            {
                var admin = await app.AdminClientAsync();
                (await admin.GetFromJsonAsync<JsonElement>("/api/v1/agents"))[0].GetProperty("weight").GetInt32().ShouldBe(0);

                await admin.PutAsJsonAsync($"/api/v1/agents/{Uri.EscapeDataString(agentName)}/weight", new { weight = 40 });
                var project = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/projects")).GetProperty("items")[0].GetProperty("id").GetInt64();
                var task = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{project}/tasks")).GetProperty("items")[0].GetProperty("id").GetInt64();
                (await admin.WaitForEndAsync(await admin.RunNowAsync(project, task))).Status().ShouldBe("succeeded");
            }
        }
    }

    [Fact]
    public async Task Weight_changes_are_validated_and_restricted()
    {
        await using var app = new GopherCronApp();
        var admin = await app.AdminClientAsync();
        var (_, user) = await app.CreateUserClientAsync();
        var name = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/agents"))[0].GetProperty("name").GetString()!;

        await (await admin.PutAsJsonAsync($"/api/v1/agents/{Uri.EscapeDataString(name)}/weight", new { weight = 101 }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "weight");
        await (await admin.PutAsJsonAsync("/api/v1/agents/nobody/weight", new { weight = 5 }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        // The embedded agent serves every project: only system administrators may change it.
        await (await user.PutAsJsonAsync($"/api/v1/agents/{Uri.EscapeDataString(name)}/weight", new { weight = 5 }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_task_requiring_labels_no_agent_carries_fails_with_the_reason_and_labels_are_validated()
    {
        await using var app = new GopherCronApp();
        var admin = await app.AdminClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(admin);

        var created = await admin.CreateTaskAsync(project.Id, TaskApi.ShellTask("0 0 1 1 *", "echo gpu", extra: new { enabled = false, labels = new { gpu = "a100" } }));
        created.GetProperty("labels").GetProperty("gpu").GetString().ShouldBe("a100");
        var run = await admin.WaitForEndAsync(await admin.RunNowAsync(project.Id, created.Id()));
        run.Status().ShouldBe("failed");
        run.Error()!.ShouldContain("no agent online");

        var bad = await admin.PostAsJsonAsync($"/api/v1/projects/{project.Id}/tasks",
            TaskApi.ShellTask("0 0 1 1 *", "echo", extra: new { labels = new Dictionary<string, string> { ["bad key!"] = "x" } }));
        await bad.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "labels");
    }
}
