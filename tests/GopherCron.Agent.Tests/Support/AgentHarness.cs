using GopherCron.Testing;
using GopherCron.Agent.Plugins;
using GopherCron.Agent.Protocol;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace GopherCron.Agent.Tests.Support;

/// <summary>An agent runtime wired to the real shell plugin, loaded from the plugins folder build/Plugin.targets made.</summary>
internal sealed class AgentHarness
{
    private static long s_nextRunId = 1000;

    public AgentHarness(TimeProvider? time = null, AgentOptions? options = null, TimeSpan? sendDelay = null, ExecutorCatalog? catalog = null)
    {
        Link = new RecordingHostLink { SendDelay = sendDelay ?? TimeSpan.Zero };
        Catalog = catalog ?? LoadCatalog();
        Runtime = new AgentRuntime(Link, Catalog, options ?? new AgentOptions { Name = "test-agent" },
            time ?? TimeProvider.System, NullLogger<AgentRuntime>.Instance);
    }

    public static string PluginsFolder => Path.Combine(AppContext.BaseDirectory, "plugins");

    public RecordingHostLink Link { get; }

    public ExecutorCatalog Catalog { get; }

    public AgentRuntime Runtime { get; }

    public static long NextRunId() => Interlocked.Increment(ref s_nextRunId);

    public static ExecutorCatalog LoadCatalog(string? pluginsFolder = null, TimeProvider? time = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Plugins:shell:KillGracePeriod"] = "2" })
            .Build();
        return ExecutorCatalog.Load(pluginsFolder ?? PluginsFolder, configuration, NullLoggerFactory.Instance,
            time ?? TimeProvider.System);
    }

    public static DispatchRun Shell(long runId, string command, int timeoutSeconds = 60, long term = 1,
        string? extraConfig = null) =>
        Dispatch(runId, "shell", $$"""{"command": {{System.Text.Json.JsonSerializer.Serialize(command)}}{{extraConfig}}}""",
            timeoutSeconds, term);

    public static DispatchRun Dispatch(long runId, string executor, string configurationJson, int timeoutSeconds = 60, long term = 1) =>
        new(runId, term, new RunSpec
        {
            TaskId = 42,
            ProjectId = 7,
            TaskName = "test task",
            Executor = executor,
            ConfigurationJson = configurationJson,
            Timeout = TimeSpan.FromSeconds(timeoutSeconds),
            ScheduledAt = new DateTimeOffset(2026, 3, 1, 12, 30, 0, TimeSpan.Zero),
            Attempt = 2,
        });

    /// <summary>Dispatches and waits for the run's end.</summary>
    public async Task<RunFinished> RunAsync(DispatchRun dispatch, int seconds = 60)
    {
        await Runtime.HandleAsync(dispatch, CancellationToken.None);
        return await Link.FinishedAsync(dispatch.RunId, seconds);
    }
}
