using GopherCron.Modules.Logs.Data;
using GopherCron.Modules.Shared.Time;

namespace GopherCron.Modules.Logs.Features;

internal sealed record RunResponse(
    long Id,
    long ProjectId,
    long TaskId,
    string Status,
    string Trigger,
    int Attempt,
    long? ParentRunId,
    DateTimeOffset ScheduledAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    long? DurationMs,
    string? Agent,
    int? ExitCode,
    string? Error,
    long Term,
    long OutputBytes,
    bool OutputTruncated)
{
    public static RunResponse From(RunRow r) => new(
        r.Id, r.ProjectId, r.TaskId, r.Status, r.Trigger, r.Attempt, r.ParentRunId,
        UnixTime.FromUnixMs(r.ScheduledAt), UnixTime.FromUnixMs(r.StartedAt), UnixTime.FromUnixMs(r.FinishedAt),
        r.StartedAt is { } s && r.FinishedAt is { } f ? f - s : null,
        r.Agent, r.ExitCode, r.Error, r.Term, r.OutputBytes, r.OutputTruncated);
}
