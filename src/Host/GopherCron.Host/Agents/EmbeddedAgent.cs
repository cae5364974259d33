using System.Security.Cryptography;
using GopherCron.Agent;
using GopherCron.Agent.Plugins;
using GopherCron.Agent.Protocol;
using GopherCron.Modules.Tasks.Contracts;
using Microsoft.Extensions.Options;

namespace GopherCron.Host.Agents;

/// <summary>Settings of the agent that runs inside the host (the embedded default).</summary>
internal sealed class EmbeddedAgentOptions
{
    public const string Section = "Agent";

    /// <summary>Run a built-in agent in the host process.</summary>
    public bool Embedded { get; set; } = true;

    /// <summary>The agent's name, shown on runs and in the agent list.</summary>
    public string Name { get; set; } = "embedded@" + Environment.MachineName;

    /// <summary>Where executor plugins live; relative paths are resolved against the host's install folder.</summary>
    public string PluginsPath { get; set; } = "plugins";

    public string ResolvedPluginsPath => Path.IsPathRooted(PluginsPath) ? PluginsPath : Path.Combine(AppContext.BaseDirectory, PluginsPath);
}

/// <summary>
/// The built-in agent: the same agent runtime a standalone agent uses, attached to the scheduler through an
/// in-process link instead of a network stream.
/// </summary>
internal sealed class EmbeddedAgent(
    IAgentGateway gateway,
    ExecutorCatalog catalog,
    IOptions<EmbeddedAgentOptions> options,
    TimeProvider clock,
    ILoggerFactory loggers) : IHostedService
{
    private AgentRuntime? _runtime;
    private IAgentSession? _session;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var link = new InProcessLink();
        _runtime = new AgentRuntime(link, catalog, new AgentOptions { Name = settings.Name }, clock, loggers.CreateLogger<AgentRuntime>());
        var runtime = _runtime;
        var descriptor = new AgentDescriptor(
            Id: settings.Name + "#" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)),
            Name: settings.Name,
            Address: "in-process",
            Version: typeof(EmbeddedAgent).Assembly.GetName().Version?.ToString() ?? "0.0.0",
            Executors: catalog.Kinds,
            Labels: new Dictionary<string, string>(),
            Weight: 100,
            ProjectIds: null);
        _session = gateway.Connect(descriptor, runtime.HandleAsync);
        link.Attach(_session);
        catalog.KindsChanged += OnKindsChanged;
        if (!catalog.Kinds.SequenceEqual(descriptor.Executors))
        {
            // A plugin was hot-loaded between building the descriptor and subscribing.
            _session.UpdateExecutors(catalog.Kinds);
        }
        await Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        catalog.KindsChanged -= OnKindsChanged;

        // Runs in progress are killed and their results recorded before the ledger stops (it stops after this).
        if (_runtime is not null)
        {
            await _runtime.StopAsync(cancellationToken);
        }

        if (_session is not null)
        {
            await _session.DisposeAsync();
        }
    }

    private void OnKindsChanged(IReadOnlyCollection<string> kinds) => _session?.UpdateExecutors(kinds);

    private sealed class InProcessLink : IHostLink
    {
        private IAgentSession? _session;

        public void Attach(IAgentSession session) => _session = session;

        public ValueTask SendAsync(AgentMessage message, CancellationToken cancellationToken) =>
            _session?.ReceiveAsync(message, cancellationToken) ?? ValueTask.CompletedTask;
    }
}
