namespace GopherCron.Agent;

/// <summary>
/// Announces a standalone agent to the cluster's discovery (etcd in cluster mode) while it runs. Optional: the agent
/// resolves one from its services and runs it next to its host connection; without one it only dials the hosts.
/// </summary>
public interface IAgentPresence
{
    /// <summary>Registers the agent and keeps it registered until <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="info">Who the agent is.</param>
    /// <param name="cancellationToken">Fires when the agent stops; the registration should be withdrawn then.</param>
    Task RunAsync(AgentPresenceInfo info, CancellationToken cancellationToken);
}

/// <summary>What an agent announces about itself.</summary>
/// <param name="AgentId">Stable name plus a per-process nonce.</param>
/// <param name="Name">The agent's name.</param>
/// <param name="Address">Where it runs.</param>
/// <param name="Version">Its version.</param>
/// <param name="Labels">Its labels.</param>
/// <param name="Weight">0–100.</param>
/// <param name="Executors">The executor kinds it offers.</param>
/// <param name="ProjectIds">The projects it has credentials for.</param>
public sealed record AgentPresenceInfo(
    string AgentId,
    string Name,
    string Address,
    string Version,
    IReadOnlyDictionary<string, string> Labels,
    int Weight,
    IReadOnlyCollection<string> Executors,
    IReadOnlyCollection<long> ProjectIds);
