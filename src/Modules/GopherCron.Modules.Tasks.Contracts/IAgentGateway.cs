using GopherCron.Agent.Protocol;

namespace GopherCron.Modules.Tasks.Contracts;

/// <summary>Where agents attach to the scheduler: the embedded agent in process, remote agents over their stream.</summary>
public interface IAgentGateway
{
    /// <summary>Registers a connected agent.</summary>
    /// <param name="agent">Who the agent is and what it offers.</param>
    /// <param name="sendToAgent">Delivers a host message to the agent.</param>
    /// <returns>The session: report the agent's messages through it and dispose it when the agent disconnects.</returns>
    IAgentSession Connect(AgentDescriptor agent, Func<HostMessage, CancellationToken, ValueTask> sendToAgent);
}

/// <summary>A connected agent, as the scheduler sees it.</summary>
public interface IAgentSession : IAsyncDisposable
{
    /// <summary>Hands a message from the agent to the scheduler.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the hand-over.</param>
    ValueTask ReceiveAsync(AgentMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the executor kinds the agent offers, for example after it hot-loaded a plugin; dispatch uses the new
    /// list from the next run on.
    /// </summary>
    /// <param name="executors">Every kind the agent now offers.</param>
    void UpdateExecutors(IReadOnlyCollection<string> executors);
}

/// <summary>Who an agent is and what it can run.</summary>
/// <param name="Id">Unique and stable for the agent's process, for example its name plus a start nonce.</param>
/// <param name="Name">Human name (host name by default).</param>
/// <param name="Address">Where it runs, for display.</param>
/// <param name="Version">The agent's version.</param>
/// <param name="Executors">The executor kinds it offers.</param>
/// <param name="Labels">Its labels, for tasks that require them.</param>
/// <param name="Weight">0–100; the share of dispatches it receives relative to others (0 receives none).</param>
/// <param name="ProjectIds">The projects it serves; null means every project (the embedded agent).</param>
/// <param name="HeldRunIds">
/// Null for an agent living in the host's own process: its disconnect means its runs are gone, and they are recorded
/// lost at once. A list (possibly empty) for a remote agent: the runs it still executes or has unacknowledged results
/// for. A remote agent's disconnect only detaches its runs; when an agent of the same name connects again, the runs
/// it holds are attached to it and the others are recorded lost; if none comes back within
/// <c>Tasks:AgentLostAfter</c>, they are recorded lost.
/// </param>
public sealed record AgentDescriptor(
    string Id,
    string Name,
    string Address,
    string Version,
    IReadOnlyCollection<string> Executors,
    IReadOnlyDictionary<string, string> Labels,
    int Weight,
    IReadOnlyCollection<long>? ProjectIds,
    IReadOnlyCollection<long>? HeldRunIds = null);

/// <summary>The host's own executors (from its plugins folder): descriptions, validators and load failures.</summary>
public interface IExecutorDirectory
{
    /// <summary>The executor kinds this host knows.</summary>
    IReadOnlyCollection<string> Kinds { get; }

    /// <summary>The executors this host knows, with what they tell clients about themselves.</summary>
    IReadOnlyList<ExecutorInfo> Executors { get; }

    /// <summary>Plugin folders of the host that could not be loaded.</summary>
    IReadOnlyList<ExecutorPluginFailure> Failures { get; }

    /// <summary>Validates a configuration; null when the kind is unknown to this host.</summary>
    /// <param name="kind">The executor kind.</param>
    /// <param name="configuration">The task's <c>config</c> object.</param>
    IReadOnlyList<(string Field, string Message)>? Validate(string kind, System.Text.Json.JsonElement configuration);
}

/// <summary>An executor the host knows.</summary>
/// <param name="Kind">Its kind, as tasks name it.</param>
/// <param name="DisplayName">A short human name.</param>
/// <param name="Description">What it does.</param>
/// <param name="ConfigurationSchema">The JSON Schema of its <c>config</c> object, as text.</param>
public sealed record ExecutorInfo(string Kind, string DisplayName, string Description, string ConfigurationSchema);

/// <summary>A plugin folder that was skipped.</summary>
/// <param name="Folder">The folder's full path.</param>
/// <param name="Reason">Why.</param>
public sealed record ExecutorPluginFailure(string Folder, string Reason);
