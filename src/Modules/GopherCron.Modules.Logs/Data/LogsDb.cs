using LinqToDB;
using LinqToDB.Data;
using LinqToDB.Mapping;

namespace GopherCron.Modules.Logs.Data;

internal sealed class LogsDb(DataOptions options) : DataConnection(options)
{
    public ITable<RunRow> Runs => this.GetTable<RunRow>();

    public ITable<OutputRow> Output => this.GetTable<OutputRow>();
}

[Table("runs")]
internal sealed class RunRow
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("project_id")] public long ProjectId { get; set; }
    [Column("task_id")] public long TaskId { get; set; }
    [Column("fire_at")] public long? FireAt { get; set; }
    [Column("slot", Length = 128)] public string Slot { get; set; } = "";
    [Column("claim_batch")] public long ClaimBatch { get; set; }
    [Column("trigger_kind", Length = 16)] public string Trigger { get; set; } = "";
    [Column("attempt")] public int Attempt { get; set; }
    [Column("parent_run_id")] public long? ParentRunId { get; set; }
    [Column("status", Length = 16)] public string Status { get; set; } = "";
    [Column("scheduled_at")] public long ScheduledAt { get; set; }
    [Column("started_at")] public long? StartedAt { get; set; }
    [Column("finished_at")] public long? FinishedAt { get; set; }
    [Column("agent", Length = 200)] public string? Agent { get; set; }

    [Column("agent_id", Length = 200)] public string? AgentId { get; set; }
    [Column("exit_code")] public int? ExitCode { get; set; }
    [Column("error", Length = 2000)] public string? Error { get; set; }
    [Column("term")] public long Term { get; set; }
    [Column("output_bytes")] public long OutputBytes { get; set; }
    [Column("output_truncated")] public bool OutputTruncated { get; set; }
    [Column("created_at")] public long CreatedAt { get; set; }
}

[Table("run_output")]
internal sealed class OutputRow
{
    [Column("run_id"), PrimaryKey(0)] public long RunId { get; set; }
    [Column("seq"), PrimaryKey(1)] public int Sequence { get; set; }
    [Column("content")] public string Content { get; set; } = "";
}
