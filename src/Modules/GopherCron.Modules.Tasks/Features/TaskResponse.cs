using System.Text.Json;
using GopherCron.Modules.Shared.Time;
using GopherCron.Modules.Tasks.Data;
using GopherCron.Modules.Tasks.Domain;

namespace GopherCron.Modules.Tasks.Features;

internal sealed record TaskResponse(
    long Id,
    long ProjectId,
    string Name,
    string Cron,
    string TimeZone,
    string Executor,
    JsonElement Config,
    int TimeoutSeconds,
    bool Enabled,
    string Overlap,
    string Misfire,
    int? CatchUpWindowSeconds,
    bool Parallel,
    RetryBody Retry,
    string Remark,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? NextFireAt,
    int RunningRuns,
    string? ScheduleError,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string>? Warnings = null)
{
    public static TaskResponse From(TaskRow row, TasksOptions options, DateTimeOffset now, int runningRuns)
    {
        DateTimeOffset? next = null;
        if (row.Enabled && CronTask.TryFrom(row, options, out var task, out _))
        {
            next = task!.NextFireAfter(now);
        }

        using var config = JsonDocument.Parse(row.ConfigJson);
        return new TaskResponse(
            row.Id, row.ProjectId, row.Name, row.Cron, row.TimeZone ?? options.DefaultTimeZone, row.Executor,
            config.RootElement.Clone(), row.TimeoutSeconds, row.Enabled, row.Overlap, row.Misfire, row.CatchUpSeconds,
            row.Parallel, new RetryBody(row.RetryAttempts, row.RetryBackoffSeconds), row.Remark,
            UnixTime.FromUnixMs(row.CreatedAt), UnixTime.FromUnixMs(row.UpdatedAt), next, runningRuns, row.ScheduleError,
            AgentLabels.Parse(row.RequiredLabels));
    }
}
