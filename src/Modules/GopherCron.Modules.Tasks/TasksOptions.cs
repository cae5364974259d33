using System.ComponentModel.DataAnnotations;

namespace GopherCron.Modules.Tasks;

public sealed class TasksOptions
{
    public const string Section = "Tasks";

    /// <summary>IANA time zone for tasks that name none.</summary>
    [Required]
    public string DefaultTimeZone { get; set; } = "UTC";

    /// <summary>The shortest period a schedule may have; a schedule that can fire more often is refused.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan MinimumPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A fire less late than this is simply late and runs as usual; a fire later than this was missed and follows the
    /// task's misfire policy.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How far back missed fires are caught up for tasks that set no window of their own.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan DefaultCatchUpWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most missed fires one task catches up at once (the most recent are kept).</summary>
    [Range(1, 100_000)]
    public int MaxCatchUpFires { get; set; } = 1000;

    /// <summary>How long a new leader waits for agents to connect before it fires (and would find none).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan AgentGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// With several replicas, how often the leader reads tasks changed through other replicas' APIs (edits there reach
    /// the leader within this interval; edits on the leader itself apply at once).
    /// </summary>
    public TimeSpan ClusterChangePollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long the runs of a remote agent whose stream dropped wait for it to reconnect before they are recorded lost.
    /// Keep it at least the etcd lease TTL (10 s): an agent that lost its stream but not its lease is still alive.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan AgentLostAfter { get; set; } = TimeSpan.FromSeconds(15);
}
