using GopherCron.Modules.Tasks.Domain.Cron;

namespace GopherCron.Tasks.Tests.Cron;

internal static class CronTestKit
{
    public static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0, int millisecond = 0) =>
        new(year, month, day, hour, minute, second, millisecond, TimeSpan.Zero);

    public static TimeZoneInfo Zone(string id)
    {
        TimeZones.TryFind(id, out var zone, out var error).ShouldBeTrue(error);
        return zone;
    }

    public static DateTimeOffset? Next(string expression, DateTimeOffset after, string zone = "UTC") =>
        CronSchedule.Parse(expression).GetNextOccurrence(after, Zone(zone));

    public static string ParseError(string? expression)
    {
        CronSchedule.TryParse(expression, out var schedule, out var error).ShouldBeFalse($"'{expression}' parsed as a schedule");
        schedule.ShouldBeNull();
        return error;
    }
}
