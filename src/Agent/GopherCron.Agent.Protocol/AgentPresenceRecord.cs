using System.Text.Json;

namespace GopherCron.Agent.Protocol;

/// <summary>
/// What an agent publishes about itself in etcd, under <see cref="AgentPresenceKeys.Prefix"/> + its id, attached to
/// a lease: when the agent dies the lease expires and the key disappears.
/// </summary>
public sealed record AgentPresenceRecord
{
    /// <summary>Unique per agent process (its name plus a start nonce).</summary>
    public required string Id { get; init; }

    /// <summary>The agent's stable name.</summary>
    public required string Name { get; init; }

    /// <summary>Where the agent runs (host name or address).</summary>
    public required string Address { get; init; }

    /// <summary>The agent's version.</summary>
    public required string Version { get; init; }

    /// <summary>The agent's labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The executor kinds it offers.</summary>
    public IReadOnlyCollection<string> Executors { get; init; } = [];

    /// <summary>The projects it has credentials for.</summary>
    public IReadOnlyCollection<long> ProjectIds { get; init; } = [];

    /// <summary>Its configured weight, 0–100.</summary>
    public int Weight { get; init; }

    /// <summary>When the agent process started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it last refreshed this record.</summary>
    public required DateTimeOffset HeartbeatAt { get; init; }

    /// <summary>Serialises the record as etcd stores it.</summary>
    /// <summary>The JSON stored under <see cref="AgentRedirect.LeaderKey"/>.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, AgentPresenceKeys.Json);

    /// <summary>Reads a stored record; null when the value is not a record.</summary>
    /// <param name="json">The stored value.</param>
    public static AgentPresenceRecord? FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<AgentPresenceRecord>(json, AgentPresenceKeys.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Where agent records live in etcd.</summary>
public static class AgentPresenceKeys
{
    /// <summary>Every agent record's key starts with this.</summary>
    public const string Prefix = "/gophercron/agents/";

    /// <summary>The key of one agent's record.</summary>
    /// <param name="agentId">The agent's id.</param>
    public static string For(string agentId) => Prefix + agentId;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

/// <summary>
/// How agents find the replica that leads scheduling: a follower refuses an agent with the leader's agent URL in the
/// <see cref="LeaderTrailer"/> trailer, and with etcd the leader publishes itself under <see cref="LeaderKey"/>.
/// </summary>
public static class AgentRedirect
{
    /// <summary>The gRPC trailer of a refusal that names the leader's agent URL.</summary>
    public const string LeaderTrailer = "gophercron-leader";

    /// <summary>The etcd key the leader writes (JSON <see cref="LeaderAnnouncement"/>) when it takes office.</summary>
    public const string LeaderKey = "/gophercron/leader";
}

/// <summary>The leader's announcement in etcd.</summary>
/// <param name="Term">The Raft term it leads in; agents ignore announcements older than one they have seen.</param>
/// <param name="Replica">Its Raft endpoint.</param>
/// <param name="AgentsUrl">Where agents connect.</param>
/// <param name="ApiUrl">Its HTTP API.</param>
public sealed record LeaderAnnouncement(long Term, string Replica, string AgentsUrl, string ApiUrl)
{
    /// <summary>The JSON stored under <see cref="AgentRedirect.LeaderKey"/>.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, AgentPresenceKeys.Json);

    /// <summary>Reads an announcement; null when the value is not one.</summary>
    /// <param name="json">The etcd value.</param>
    public static LeaderAnnouncement? TryParse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<LeaderAnnouncement>(json, AgentPresenceKeys.Json) is { AgentsUrl.Length: > 0 } parsed ? parsed : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
