using LinqToDB;
using LinqToDB.Data;
using LinqToDB.Mapping;

namespace GopherCron.Modules.Tasks.Data;

internal sealed class TasksDb(DataOptions options) : DataConnection(options)
{
    public ITable<TaskRow> Tasks => this.GetTable<TaskRow>();

    public ITable<AgentWeightRow> AgentWeights => this.GetTable<AgentWeightRow>();

    public ITable<TaskTombstoneRow> Tombstones => this.GetTable<TaskTombstoneRow>();
}

/// <summary>A weight set for an agent through the API; it outlives the agent's restarts and overrides its own setting.</summary>
[Table("agent_weights")]
internal sealed class AgentWeightRow
{
    [Column("agent_name", Length = 200), PrimaryKey] public string AgentName { get; set; } = "";
    [Column("weight")] public int Weight { get; set; }
    [Column("updated_by")] public long UpdatedBy { get; set; }
    [Column("updated_at")] public long UpdatedAt { get; set; }
}

[Table("tasks")]
internal sealed class TaskRow
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("project_id")] public long ProjectId { get; set; }
    [Column("name", Length = 100)] public string Name { get; set; } = "";
    [Column("cron", Length = 200)] public string Cron { get; set; } = "";
    [Column("time_zone", Length = 64)] public string? TimeZone { get; set; }
    [Column("executor", Length = 64)] public string Executor { get; set; } = "";
    [Column("config_json")] public string ConfigJson { get; set; } = "{}";
    [Column("timeout_seconds")] public int TimeoutSeconds { get; set; }
    [Column("enabled")] public bool Enabled { get; set; }
    [Column("overlap", Length = 16)] public string Overlap { get; set; } = "";
    [Column("misfire", Length = 16)] public string Misfire { get; set; } = "";
    [Column("catch_up_seconds")] public int? CatchUpSeconds { get; set; }
    [Column("parallel")] public bool Parallel { get; set; }
    [Column("retry_attempts")] public int RetryAttempts { get; set; }
    [Column("retry_backoff_seconds")] public int RetryBackoffSeconds { get; set; }
    [Column("remark", Length = 1000)] public string Remark { get; set; } = "";
    [Column("schedule_error", Length = 500)] public string? ScheduleError { get; set; }
    [Column("required_labels", Length = 2000)] public string RequiredLabels { get; set; } = "{}";
    [Column("created_by")] public long CreatedBy { get; set; }
    [Column("created_at")] public long CreatedAt { get; set; }
    [Column("updated_at")] public long UpdatedAt { get; set; }
}

/// <summary>A deleted task, kept a while so that a leader on another replica learns of the deletion.</summary>
[Table("task_tombstones")]
internal sealed class TaskTombstoneRow
{
    [Column("task_id"), PrimaryKey] public long TaskId { get; set; }

    [Column("deleted_at")] public long DeletedAt { get; set; }
}
