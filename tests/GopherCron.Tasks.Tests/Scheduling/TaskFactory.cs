using GopherCron.Modules.Tasks.Domain;
using GopherCron.Modules.Tasks.Domain.Cron;

namespace GopherCron.Tasks.Tests.Scheduling;

internal static class TaskFactory
{
    public static readonly DateTimeOffset Epoch = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static CronTask Every(string cron, MisfirePolicy misfire = MisfirePolicy.Skip, TimeSpan? window = null,
        DateTimeOffset? changedAt = null, OverlapPolicy overlap = OverlapPolicy.Allow) => new()
    {
        Id = 1,
        ProjectId = 1,
        Name = "t",
        Schedule = CronSchedule.Parse(cron),
        Zone = TimeZoneInfo.Utc,
        Executor = "shell",
        ConfigJson = "{}",
        Timeout = TimeSpan.FromMinutes(5),
        Enabled = true,
        Overlap = overlap,
        Misfire = misfire,
        CatchUpWindow = window ?? TimeSpan.FromHours(1),
        Parallel = false,
        RetryAttempts = 0,
        RetryBackoff = TimeSpan.Zero,
        ChangedAt = changedAt ?? Epoch.AddDays(-30),
    };
}
