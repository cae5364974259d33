using GopherCron.Testing;
using System.Text.Json;
using GopherCron.Agent;
using GopherCron.Agent.Plugins;
using GopherCron.Agent.Protocol;
using GopherCron.Plugins.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace GopherCron.Plugins.Tests.Support;

/// <summary>
/// An agent runtime over the real plugins, loaded through <see cref="ExecutorCatalog"/> from the plugins folder
/// build/Plugin.targets laid out next to the tests.
/// </summary>
internal sealed class PluginHarness : IDisposable
{
    private static long s_nextRunId = 5000;

    public PluginHarness(IDictionary<string, string?>? configuration = null)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(configuration ?? new Dictionary<string, string?>()).Build();
        Catalog = ExecutorCatalog.Load(Path.Combine(AppContext.BaseDirectory, "plugins"), config, NullLoggerFactory.Instance,
            TimeProvider.System);
        Runtime = new AgentRuntime(Link, Catalog, new AgentOptions { Name = "plugin-tests" }, TimeProvider.System,
            NullLogger<AgentRuntime>.Instance);
    }

    public RecordingHostLink Link { get; } = new();

    public ExecutorCatalog Catalog { get; }

    public AgentRuntime Runtime { get; }

    public static long NextRunId() => Interlocked.Increment(ref s_nextRunId);

    public IReadOnlyList<ConfigurationError> Validate(string kind, string configurationJson)
    {
        Catalog.TryGet(kind, out var executor).ShouldBeTrue($"the {kind} plugin is loaded");
        using var document = JsonDocument.Parse(configurationJson);
        return executor!.Validate(document.RootElement.Clone());
    }

    public static DispatchRun Dispatch(long runId, string executor, string configurationJson, int timeoutSeconds = 60) =>
        new(runId, 1, new RunSpec
        {
            TaskId = 42,
            ProjectId = 7,
            TaskName = "plugin test",
            Executor = executor,
            ConfigurationJson = configurationJson,
            Timeout = TimeSpan.FromSeconds(timeoutSeconds),
            ScheduledAt = new DateTimeOffset(2026, 3, 1, 12, 30, 0, TimeSpan.Zero),
            Attempt = 1,
        });

    /// <summary>Dispatches a run and waits for its end.</summary>
    public async Task<(RunFinished Finished, string Output)> RunAsync(string executor, string configurationJson, int timeoutSeconds = 60)
    {
        var runId = NextRunId();
        await Runtime.HandleAsync(Dispatch(runId, executor, configurationJson, timeoutSeconds), CancellationToken.None);
        var finished = await Link.FinishedAsync(runId);
        return (finished, Link.Output(runId));
    }

    /// <summary>Dispatches a run, waits until <paramref name="busy"/> says it is working and a second more, kills it, and waits for its end.</summary>
    public async Task<(RunFinished Finished, TimeSpan KillToFinish)> RunAndKillAsync(
        string executor, string configurationJson, Func<long, Task> busy)
    {
        var runId = NextRunId();
        await Runtime.HandleAsync(Dispatch(runId, executor, configurationJson), CancellationToken.None);
        await busy(runId).WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Link.HasFinished(runId).ShouldBeFalse("the run is still busy when it is killed");
        var killedAt = TimeProvider.System.GetTimestamp();
        await Runtime.HandleAsync(new KillRun(runId, "killed by test"), CancellationToken.None);
        var finished = await Link.FinishedAsync(runId, seconds: 20);
        return (finished, TimeProvider.System.GetElapsedTime(killedAt));
    }

    public void Dispose() => Catalog.Dispose();
}
