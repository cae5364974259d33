namespace GopherCron.Modules.Shared.Cluster;

/// <summary>The scheduling leadership of this replica: only the leader fires schedules.</summary>
public interface ILeadership
{
    /// <summary>This replica's current role, as shown by <c>GET /api/v1/cluster</c>.</summary>
    ClusterRole Role { get; }

    /// <summary>
    /// Waits until this replica leads, then returns the lease: its term and a token cancelled the moment leadership is lost.
    /// </summary>
    ValueTask<LeadershipLease> WaitForLeadershipAsync(CancellationToken cancellationToken);

    /// <summary>Cancelled when this replica stops leading; already cancelled while it does not lead.</summary>
    CancellationToken LeadershipToken { get; }

    /// <summary>The leading replica's Raft endpoint as this replica knows it (null: none known; standalone: "standalone").</summary>
    string? LeaderReplica { get; }
}

/// <summary>A period of leadership.</summary>
/// <param name="Term">The consensus term; every dispatch carries it so agents can refuse a deposed leader.</param>
/// <param name="Token">Cancelled when leadership ends.</param>
public sealed record LeadershipLease(long Term, CancellationToken Token);

public enum ClusterRole
{
    Standalone,
    Leader,
    Follower,
    Candidate,
}

/// <summary>Embedded mode: one replica, always the leader, for the life of the process.</summary>
public sealed class StandaloneLeadership : ILeadership
{
    public ClusterRole Role => ClusterRole.Standalone;

    public CancellationToken LeadershipToken => CancellationToken.None;

    public string? LeaderReplica => ReplicaAddress.Standalone.Replica;

    public ValueTask<LeadershipLease> WaitForLeadershipAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new LeadershipLease(1, CancellationToken.None));
}
