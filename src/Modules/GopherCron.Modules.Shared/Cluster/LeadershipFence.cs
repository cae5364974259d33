using GopherCron.Modules.Shared.Data;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using LinqToDB.Mapping;

namespace GopherCron.Modules.Shared.Cluster;

/// <summary>Where the replica that leads scheduling can be reached, as it published itself on taking office.</summary>
/// <param name="Term">The Raft term it leads in.</param>
/// <param name="Replica">Its Raft endpoint (<c>Cluster:Listen</c>).</param>
/// <param name="ApiUrl">Its HTTP API base URL (followers forward leader-only requests there).</param>
/// <param name="AgentsUrl">Its agents' gRPC URL (agents are redirected there).</param>
/// <param name="Since">When it took office.</param>
public sealed record LeaderRecord(long Term, string Replica, string ApiUrl, string AgentsUrl, DateTimeOffset Since);

/// <summary>Thrown when the store has seen a newer leader than the term a write was made in: this replica is deposed.</summary>
public sealed class DeposedLeaderException(long term, string detail)
    : Exception($"The scheduling leadership of term {term} has ended: {detail}")
{
    public long Term { get; } = term;
}

/// <summary>
/// The store's side of fencing (DESIGN §2.2). A new leader raises the fence to its term before it schedules anything,
/// and every claim of fires checks the fence in its own transaction: a deposed leader (frozen, partitioned, slow to
/// hear of the election) can no longer create runs once its successor took office, even before it knows it lost.
/// The same row tells followers and agents where the leader is.
/// </summary>
public sealed class LeadershipFence(Database database, TimeProvider clock)
{
    public const string Module = "Cluster";

    public static readonly Migration[] Migrations =
    [
        new(1, "scheduling leader fence",
            """
            CREATE TABLE scheduler_leader (
                id INT NOT NULL PRIMARY KEY,
                term BIGINT NOT NULL,
                replica VARCHAR(200) NOT NULL,
                api_url VARCHAR(500) NOT NULL,
                agents_url VARCHAR(500) NOT NULL,
                since BIGINT NOT NULL,
                claims BIGINT NOT NULL
            ){table}
            """,
            "INSERT INTO scheduler_leader (id, term, replica, api_url, agents_url, since, claims) VALUES (1, 0, '', '', '', 0, 0)"),
    ];

    /// <summary>
    /// Raises the fence to <paramref name="term"/> and publishes this replica as the leader. False when the store has
    /// already seen a later term: this replica was deposed before it could take office.
    /// </summary>
    public async Task<bool> TakeOfficeAsync(long term, string replica, string apiUrl, string agentsUrl, CancellationToken cancellationToken)
    {
        await using var db = new DataConnection(database.Options);
        var updated = await db.GetTable<LeaderRow>()
            .Where(r => r.Id == 1 && r.Term <= term)
            .Set(r => r.Term, term)
            .Set(r => r.Replica, replica)
            .Set(r => r.ApiUrl, apiUrl)
            .Set(r => r.AgentsUrl, agentsUrl)
            .Set(r => r.Since, clock.GetUtcNow().ToUnixTimeMilliseconds())
            .UpdateAsync(cancellationToken);
        return updated == 1;
    }

    /// <summary>
    /// A standalone host leads alone, but its term still has to rise above every term the store (and so any agent)
    /// has seen, or agents that outlived a restart would refuse it.
    /// </summary>
    public async Task<long> NextStandaloneTermAsync(CancellationToken cancellationToken)
    {
        await using var db = new DataConnection(database.Options);
        var current = await db.GetTable<LeaderRow>().Where(r => r.Id == 1).Select(r => r.Term).FirstOrDefaultAsync(cancellationToken);
        return current + 1;
    }

    public async Task<LeaderRecord?> ReadAsync(CancellationToken cancellationToken)
    {
        await using var db = new DataConnection(database.Options);
        var row = await db.GetTable<LeaderRow>().FirstOrDefaultAsync(r => r.Id == 1, cancellationToken);
        return row is null || row.Term == 0
            ? null
            : new LeaderRecord(row.Term, row.Replica, row.ApiUrl, row.AgentsUrl, DateTimeOffset.FromUnixTimeMilliseconds(row.Since));
    }

    /// <summary>
    /// Inside a write transaction: locks the fence row and checks that no later leader took office. Call it first in
    /// the transaction (the row lock orders it against a successor's <see cref="TakeOfficeAsync"/>).
    /// </summary>
    /// <exception cref="DeposedLeaderException">A later term holds the fence.</exception>
    public static async Task HoldAsync(DataConnection transaction, long term, CancellationToken cancellationToken)
    {
        // A real change (not SET x = x), so that every engine counts the row and takes its write lock.
        var held = await transaction.GetTable<LeaderRow>()
            .Where(r => r.Id == 1 && r.Term <= term)
            .Set(r => r.Claims, r => r.Claims + 1)
            .UpdateAsync(cancellationToken);
        if (held != 1)
        {
            throw new DeposedLeaderException(term, "a later leader took office (the store's fence holds a higher term)");
        }
    }

    [Table("scheduler_leader")]
    private sealed class LeaderRow
    {
        [Column("id"), PrimaryKey]
        public int Id { get; set; }

        [Column("term")]
        public long Term { get; set; }

        [Column("replica")]
        public string Replica { get; set; } = "";

        [Column("api_url")]
        public string ApiUrl { get; set; } = "";

        [Column("agents_url")]
        public string AgentsUrl { get; set; } = "";

        [Column("since")]
        public long Since { get; set; }

        [Column("claims")]
        public long Claims { get; set; }
    }
}

/// <summary>How this replica is reached, published when it takes scheduling office.</summary>
public sealed record ReplicaAddress(string Replica, string ApiUrl, string AgentsUrl)
{
    public static readonly ReplicaAddress Standalone = new("standalone", "", "");
}

/// <summary>Resolves this replica's addresses (known only once its server listens).</summary>
public interface IReplicaIdentity
{
    ValueTask<ReplicaAddress> GetAsync(CancellationToken cancellationToken);
}

/// <summary>Tells the world outside the store (etcd) that a leader took office; best effort, the store is the authority.</summary>
public interface ILeaderAnnouncer
{
    Task AnnounceAsync(LeaderRecord leader, CancellationToken cancellationToken);
}

internal sealed class StandaloneIdentity : IReplicaIdentity
{
    public ValueTask<ReplicaAddress> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(ReplicaAddress.Standalone);
}
