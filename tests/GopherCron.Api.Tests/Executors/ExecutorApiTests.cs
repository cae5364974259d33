using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GopherCron.Agent.Protocol;
using GopherCron.Api.Tests.Infrastructure;
using GopherCron.Modules.Tasks.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace GopherCron.Api.Tests.Executors;

/// <summary>GET /api/v1/executors, hot-loaded plugins reaching the embedded agent, and what saving a task says about its executor.</summary>
public sealed class ExecutorApiTests : IDisposable
{
    private readonly string _plugins = Directory.CreateTempSubdirectory("gophercron-api-plugins-").FullName;

    public void Dispose() => Directory.Delete(_plugins, recursive: true);

    [Fact]
    public async Task Executors_list_the_hosts_plugins_with_their_schema_the_agents_offering_them_and_the_failed_folders()
    {
        CopyShellPlugin();
        Directory.CreateDirectory(Path.Combine(_plugins, "garbage"));
        await File.WriteAllBytesAsync(Path.Combine(_plugins, "garbage", "garbage.dll"), [0x4d, 0x5a, 1, 2, 3]);
        await using var app = new GopherCronApp { Settings = { ["Agent:PluginsPath"] = _plugins } };
        var (_, user) = await app.CreateUserClientAsync();
        var (_, stranger) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(user);

        var answer = await user.GetFromJsonAsync<JsonElement>($"/api/v1/executors?projectId={project.Id}");

        var shell = answer.GetProperty("executors").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "shell");
        shell.GetProperty("displayName").GetString().ShouldNotBeNullOrWhiteSpace();
        shell.GetProperty("description").GetString().ShouldNotBeNullOrWhiteSpace();
        shell.GetProperty("knownToHost").GetBoolean().ShouldBeTrue();
        shell.GetProperty("configurationSchema").GetProperty("required")[0].GetString().ShouldBe("command");
        shell.GetProperty("agents").EnumerateArray().Single().GetString()!.ShouldStartWith("embedded@");
        var failure = answer.GetProperty("failures").EnumerateArray().Single();
        Path.GetFileName(failure.GetProperty("folder").GetString()).ShouldBe("garbage");
        failure.GetProperty("reason").GetString()!.ShouldContain("BadImageFormat");

        await (await stranger.GetAsync($"/api/v1/executors?projectId={project.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await stranger.GetFromJsonAsync<JsonElement>("/api/v1/executors")).GetProperty("executors").GetArrayLength().ShouldBe(1);
        (await app.CreateAnonymousClient().GetAsync("/api/v1/executors")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_plugin_dropped_into_the_running_hosts_plugins_folder_is_offered_by_the_embedded_agent_and_runs()
    {
        await using var app = new GopherCronApp { Settings = { ["Agent:PluginsPath"] = _plugins } };
        var admin = await app.AdminClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(admin);
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/executors")).GetProperty("executors").GetArrayLength().ShouldBe(0);
        var refused = await admin.PostAsJsonAsync($"/api/v1/projects/{project.Id}/tasks", TaskApi.ShellTask("0 0 1 1 *", "echo hot"));
        await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "executor");

        CopyShellPlugin();

        await TaskApi.EventuallyAsync(
            () => admin.GetFromJsonAsync<JsonElement>($"/api/v1/executors?projectId={project.Id}"),
            a => a.GetProperty("executors").EnumerateArray().Any(e => e.GetProperty("kind").GetString() == "shell" && e.GetProperty("agents").GetArrayLength() == 1),
            "the embedded agent to offer the hot-loaded shell executor");
        var task = await admin.CreateTaskAsync(project.Id, TaskApi.ShellTask("0 0 1 1 *", "echo hot"));
        task.GetProperty("warnings").ValueKind.ShouldBe(JsonValueKind.Null);
        var run = await admin.WaitForEndAsync(await admin.RunNowAsync(project.Id, task.GetProperty("id").GetInt64()));
        run.Status().ShouldBe("succeeded");
        (await admin.OutputAsync(run.GetProperty("id").GetInt64())).ShouldContain("hot");
    }

    [Fact]
    public async Task A_task_whose_executor_no_online_agent_offers_is_saved_with_a_warning()
    {
        await using var app = new GopherCronApp { Settings = { ["Agent:Embedded"] = "false" } };
        var admin = await app.AdminClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(admin);

        var created = await admin.CreateTaskAsync(project.Id, TaskApi.ShellTask("0 0 1 1 *", "echo lonely"));

        created.GetProperty("warnings").EnumerateArray().Single().GetString()
            .ShouldBe("no online agent of this project offers the 'shell' executor; its runs will fail until one does");
        var update = await admin.PutAsJsonAsync($"/api/v1/projects/{project.Id}/tasks/{created.GetProperty("id").GetInt64()}",
            TaskApi.ShellTask("0 0 1 1 *", "echo still lonely", name: created.GetProperty("name").GetString()));
        await update.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await update.ReadJsonAsync()).GetProperty("warnings").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task A_kind_only_an_online_agent_offers_is_listed_and_saved_unvalidated_and_agents_can_add_kinds_later()
    {
        await using var app = new GopherCronApp();
        var admin = await app.AdminClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(admin);
        var gateway = app.Services.GetRequiredService<IAgentGateway>();
        await using var session = gateway.Connect(
            new AgentDescriptor("ruby-agent#1", "ruby-agent", "test", "1.0", ["ruby"], new Dictionary<string, string>(), 100, [project.Id], []),
            (_, _) => ValueTask.CompletedTask);

        var answer = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/executors?projectId={project.Id}");
        var ruby = answer.GetProperty("executors").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "ruby");
        ruby.GetProperty("knownToHost").GetBoolean().ShouldBeFalse();
        ruby.GetProperty("configurationSchema").ValueKind.ShouldBe(JsonValueKind.Null);
        ruby.GetProperty("agents").EnumerateArray().Select(a => a.GetString()).ShouldBe(["ruby-agent"]);

        var task = await admin.CreateTaskAsync(project.Id, new { name = "rb", cron = "0 0 1 1 *", executor = "ruby", config = new { whatever = 1 } });
        task.GetProperty("warnings").ValueKind.ShouldBe(JsonValueKind.Null);

        // Another project is not served by that agent: saving works (an agent vouches for the kind) but warns.
        var other = await GopherCronApp.CreateProjectAsync(admin);
        (await admin.CreateTaskAsync(other.Id, new { name = "rb", cron = "0 0 1 1 *", executor = "ruby" }))
            .GetProperty("warnings").GetArrayLength().ShouldBe(1);

        // Nobody offers perl (yet): a typo is likelier than a future plugin.
        var refused = await admin.PostAsJsonAsync($"/api/v1/projects/{project.Id}/tasks", new { name = "pl", cron = "0 0 1 1 *", executor = "perl" });
        (await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "executor")).GetProperty("errors").GetProperty("executor")[0]
            .GetString()!.ShouldContain("known: ruby, shell");

        session.UpdateExecutors(["ruby", "perl"]);
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/agents")).EnumerateArray()
            .Single(a => a.GetProperty("name").GetString() == "ruby-agent").GetProperty("executors").GetArrayLength().ShouldBe(2);
        await admin.CreateTaskAsync(project.Id, new { name = "pl", cron = "0 0 1 1 *", executor = "perl" });
    }

    private void CopyShellPlugin()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "plugins", "shell");
        var staging = Directory.CreateTempSubdirectory("gophercron-staging-").FullName;
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(staging, Path.GetFileName(file)));
        }

        Directory.Move(staging, Path.Combine(_plugins, "shell"));
    }
}
