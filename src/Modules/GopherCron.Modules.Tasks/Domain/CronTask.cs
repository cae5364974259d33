using GopherCron.Modules.Shared.Time;
using GopherCron.Modules.Tasks.Data;
using GopherCron.Modules.Tasks.Domain.Cron;

namespace GopherCron.Modules.Tasks.Domain;

/// <summary>A task definition as the scheduler and dispatcher use it: schedule parsed, zone resolved, policies typed.</summary>
internal sealed record CronTask
{
    public required long Id { get; init; }
    public required long ProjectId { get; init; }
    public required string Name { get; init; }
    public required CronSchedule Schedule { get; init; }
    public required TimeZoneInfo Zone { get; init; }
    public required string Executor { get; init; }
    public required string ConfigJson { get; init; }
    public required TimeSpan Timeout { get; init; }
    public required bool Enabled { get; init; }
    public required OverlapPolicy Overlap { get; init; }
    public required MisfirePolicy Misfire { get; init; }
    public required TimeSpan CatchUpWindow { get; init; }
    public required bool Parallel { get; init; }
    public required int RetryAttempts { get; init; }
    public required TimeSpan RetryBackoff { get; init; }

    /// <summary>Labels an agent must carry to run the task; empty means any agent.</summary>
    public IReadOnlyDictionary<string, string> RequiredLabels { get; init; } = AgentLabels.None;

    /// <summary>When the definition last changed: fires before it belong to an older schedule and are never caught up.</summary>
    public required DateTimeOffset ChangedAt { get; init; }

    /// <summary>Builds the definition; false with the reason when its stored schedule no longer parses (for example a retired zone).</summary>
    public static bool TryFrom(TaskRow row, TasksOptions options, out CronTask? task, out string? error)
    {
        task = null;
        if (!CronSchedule.TryParse(row.Cron, out var schedule, out error))
        {
            return false;
        }

        if (!TimeZones.TryFind(row.TimeZone ?? options.DefaultTimeZone, out var zone, out error))
        {
            return false;
        }

        task = new CronTask
        {
            Id = row.Id,
            ProjectId = row.ProjectId,
            Name = row.Name,
            Schedule = schedule,
            Zone = zone,
            Executor = row.Executor,
            ConfigJson = row.ConfigJson,
            Timeout = TimeSpan.FromSeconds(row.TimeoutSeconds),
            Enabled = row.Enabled,
            Overlap = PolicyNames.ParseOverlap(row.Overlap),
            Misfire = PolicyNames.ParseMisfire(row.Misfire),
            CatchUpWindow = row.CatchUpSeconds is { } s ? TimeSpan.FromSeconds(s) : options.DefaultCatchUpWindow,
            Parallel = row.Parallel,
            RetryAttempts = row.RetryAttempts,
            RetryBackoff = TimeSpan.FromSeconds(row.RetryBackoffSeconds),
            RequiredLabels = AgentLabels.Parse(row.RequiredLabels),
            ChangedAt = UnixTime.FromUnixMs(row.UpdatedAt),
        };
        return true;
    }

    public DateTimeOffset? NextFireAfter(DateTimeOffset instant) => Schedule.GetNextOccurrence(instant, Zone);
}
