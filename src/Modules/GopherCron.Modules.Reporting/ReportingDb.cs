using LinqToDB;
using LinqToDB.Data;
using LinqToDB.Mapping;

namespace GopherCron.Modules.Reporting;

/// <summary>A read-only view of other modules' tables: only the columns the reports need.</summary>
internal sealed class ReportingDb(DataOptions options) : DataConnection(options)
{
    public ITable<RunView> Runs => this.GetTable<RunView>();

    public ITable<TaskView> Tasks => this.GetTable<TaskView>();

    public ITable<ProjectView> Projects => this.GetTable<ProjectView>();
}

[Table("runs")]
internal sealed class RunView
{
    [Column("id"), PrimaryKey] public long Id { get; set; }
    [Column("project_id")] public long ProjectId { get; set; }
    [Column("task_id")] public long TaskId { get; set; }
    [Column("trigger_kind")] public string Trigger { get; set; } = "";
    [Column("status")] public string Status { get; set; } = "";
    [Column("scheduled_at")] public long ScheduledAt { get; set; }
    [Column("finished_at")] public long? FinishedAt { get; set; }
    [Column("agent")] public string? Agent { get; set; }
    [Column("exit_code")] public int? ExitCode { get; set; }
    [Column("error")] public string? Error { get; set; }
}

[Table("tasks")]
internal sealed class TaskView
{
    [Column("id"), PrimaryKey] public long Id { get; set; }
    [Column("project_id")] public long ProjectId { get; set; }
    [Column("name")] public string Name { get; set; } = "";
    [Column("enabled")] public bool Enabled { get; set; }
}

[Table("projects")]
internal sealed class ProjectView
{
    [Column("id"), PrimaryKey] public long Id { get; set; }
    [Column("name")] public string Name { get; set; } = "";
}
