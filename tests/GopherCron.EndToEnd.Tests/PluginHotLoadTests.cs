using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using GopherCron.Testing;
using static GopherCron.EndToEnd.Tests.Api;

namespace GopherCron.EndToEnd.Tests;

/// <summary>A third-party plugin (the sample python executor) dropped into a running host's plugins folder.</summary>
public sealed class PluginHotLoadTests : IAsyncLifetime
{
    private static readonly string PythonPluginDir = Path.GetFullPath(typeof(PluginHotLoadTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PythonPluginDir").Value!);

    private static readonly string AgentDll = Path.GetFullPath(typeof(PluginHotLoadTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AgentDll").Value!);

    private readonly string _data = NewDataDirectory();
    private readonly int _grpcPort = HostProcess.FreePort();
    private string _plugins = null!;
    private HostProcess _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        // The host's own plugins stay untouched: this host reads a plugins folder of its own, seeded with shell.
        _plugins = Directory.CreateDirectory(Path.Combine(_data, "plugins")).FullName;
        CopyFolder(Path.Combine(Path.GetDirectoryName(HostDll)!, "plugins", "shell"), Path.Combine(_plugins, "shell"));
        _host = await HostProcess.StartAsync(HostDll, _data, new Dictionary<string, string>
        {
            ["Agent:PluginsPath"] = _plugins,
            ["Agents:GrpcPort"] = _grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        _client = await LoginAsync(_host);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task The_python_sample_plugin_dropped_into_a_running_host_is_listed_and_runs_a_script()
    {
        File.Exists(Path.Combine(PythonPluginDir, "python.dll")).ShouldBeTrue($"the sample plugin was not built into {PythonPluginDir}");
        var project = await CreateProjectAsync(_client, "python");
        var before = await GetAsync(_client, "/api/v1/executors");
        before["executors"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ShouldBe(["shell"]);

        // Copied straight in, file by file, the way an operator's cp -r does it.
        CopyFolder(PythonPluginDir, Path.Combine(_plugins, "python"));

        var listed = await EventuallyAsync(
            () => GetAsync(_client, $"/api/v1/executors?projectId={project}"),
            a => a["executors"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "python" && e["agents"]!.AsArray().Count == 1),
            TimeSpan.FromSeconds(30), "the python executor to be offered");
        var python = listed["executors"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "python")!;
        python["displayName"]!.GetValue<string>().ShouldBe("Python script");
        python["configurationSchema"]!["required"]![0]!.GetValue<string>().ShouldBe("script");
        listed["failures"]!.AsArray().ShouldBeEmpty();

        var invalid = await SendAsync(_client, HttpMethod.Post, $"/api/v1/projects/{project}/tasks",
            new { name = "bad", cron = "0 0 1 1 *", executor = "python", config = new { } }, HttpStatusCode.BadRequest);
        invalid["errors"]!["config.script"].ShouldNotBeNull();

        var task = await PostAsync(_client, $"/api/v1/projects/{project}/tasks", new
        {
            name = "hi",
            cron = "0 0 1 1 *",
            executor = "python",
            config = new { script = "import sys\nprint(\"hi from python\")\nprint(sys.argv[1])", args = new[] { "an argument" } },
        }, HttpStatusCode.Created);
        task["warnings"].ShouldBeNull();
        var taskId = task["id"]!.GetValue<long>();
        var runId = (await PostAsync(_client, $"/api/v1/projects/{project}/tasks/{taskId}/run", null, HttpStatusCode.Accepted))["runId"]!.GetValue<long>();

        var run = await EventuallyAsync(() => GetAsync(_client, $"/api/v1/runs/{runId}"),
            r => r.Status() is not ("pending" or "running"), TimeSpan.FromSeconds(30), "the python run to end");
        run.Status().ShouldBe("succeeded", _host.Log);
        (await OutputAsync(_client, runId)).ShouldBe("hi from python\nan argument\n");
    }

    [Fact]
    public async Task A_plugin_hot_loaded_by_a_standalone_agent_reaches_the_host_and_runs_there()
    {
        var project = await CreateProjectAsync(_client, "remote-python");
        var token = (await GetAsync(_client, $"/api/v1/projects/{project}/token"))["token"]!.GetValue<string>();
        var agentPlugins = Directory.CreateDirectory(Path.Combine(_data, "agent-plugins")).FullName;
        await using var agent = AgentProcess.Start(AgentDll, "py-agent", [$"http://127.0.0.1:{_grpcPort}"], new Dictionary<string, string>
        {
            ["Agent:Project"] = $"{project}:{token}",
            ["Agent:PluginsPath"] = agentPlugins,
        });
        await agent.WaitForLogAsync("Connected to");

        // Only the agent gets the plugin: the host does not know python, the agent vouches for it.
        CopyFolder(PythonPluginDir, Path.Combine(agentPlugins, "python"));

        var listed = await EventuallyAsync(
            () => GetAsync(_client, $"/api/v1/executors?projectId={project}"),
            a => a["executors"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "python"),
            TimeSpan.FromSeconds(30), "the agent's python executor to reach the host");
        var python = listed["executors"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "python")!;
        python["knownToHost"]!.GetValue<bool>().ShouldBeFalse();
        python["agents"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldBe(["py-agent"]);

        var task = await PostAsync(_client, $"/api/v1/projects/{project}/tasks", new
        {
            name = "remote-hi",
            cron = "0 0 1 1 *",
            executor = "python",
            config = new { script = "print(\"hi from the agent\")" },
        }, HttpStatusCode.Created);
        task["warnings"].ShouldBeNull();
        var runId = (await PostAsync(_client, $"/api/v1/projects/{project}/tasks/{task["id"]!.GetValue<long>()}/run", null, HttpStatusCode.Accepted))["runId"]!.GetValue<long>();
        var run = await EventuallyAsync(() => GetAsync(_client, $"/api/v1/runs/{runId}"),
            r => r.Status() is not ("pending" or "running"), TimeSpan.FromSeconds(30), "the remote python run to end");
        run.Status().ShouldBe("succeeded", agent.Log);
        run["agent"]!.GetValue<string>().ShouldBe("py-agent");
        (await OutputAsync(_client, runId)).ShouldBe("hi from the agent\n");
    }

    private static void CopyFolder(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }
}
