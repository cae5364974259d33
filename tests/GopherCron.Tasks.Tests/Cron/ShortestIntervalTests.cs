using GopherCron.Modules.Tasks.Domain.Cron;
using static GopherCron.Tasks.Tests.Cron.CronTestKit;

namespace GopherCron.Tasks.Tests.Cron;

public sealed class ShortestIntervalTests
{
    [Theory]
    [InlineData("* * * * * *", 1)]
    [InlineData("*/5 * * * * *", 5)]
    [InlineData("5,10 * * * * *", 5)]
    [InlineData("0 */15 * * * *", 15 * 60)]
    [InlineData("*/15 * * * *", 15 * 60)]
    [InlineData("* * * * *", 60)]
    [InlineData("0 0 * * * *", 3_600)]
    [InlineData("@hourly", 3_600)]
    [InlineData("0 0 9,17 * * *", 8 * 3_600)] // 09:00 -> 17:00
    [InlineData("0 0 9 * * MON-FRI", 24 * 3_600)] // Mon -> Tue; the weekend gap is longer, not shorter
    [InlineData("0 0 9 * * MON,WED,FRI", 48 * 3_600)]
    [InlineData("0 0 0,23 1,31 * *", 3_600)] // 23:00 on the 31st -> 00:00 on the 1st
    [InlineData("0 55 23 * * *", 24 * 3_600)]
    [InlineData("30 2 * * *", 24 * 3_600)]
    [InlineData("0 0 L * *", 28 * 86_400)] // 31 Jan -> 28 Feb in a common year
    [InlineData("0 0 13 * FRI", 28 * 86_400)] // Friday 13 Feb -> Friday 13 Mar (2026)
    [InlineData("0 0 29 2 *", 1_461 * 86_400)] // leap day to leap day
    [InlineData("0 0 0 1 1 * 2026,2030", 1_461 * 86_400)]
    [InlineData("0 0 0 * * * 2026-2027", 86_400)]
    public void Shortest_interval_is_the_smallest_gap_between_consecutive_fires(string expression, long seconds)
    {
        CronSchedule.Parse(expression).ShortestInterval.ShouldBe(TimeSpan.FromSeconds(seconds));
    }

    [Fact]
    public void Every_500ms_has_a_shortest_interval_of_500ms()
    {
        CronSchedule.Parse("@every 500ms").ShortestInterval.ShouldBe(TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public void A_schedule_that_fires_once_has_no_gap()
    {
        CronSchedule.Parse("0 0 0 1 1 * 2026").ShortestInterval.ShouldBe(TimeSpan.MaxValue);
    }

    [Theory]
    [InlineData("0 0 0,23 1,31 * *")]
    [InlineData("0 0 9 * * MON,WED,FRI")]
    [InlineData("0 0 13 * FRI")]
    [InlineData("*/7 10-11 * * *")]
    [InlineData("0 0 0 28,29 2 * 2027-2029")]
    [InlineData("17 3 */2 * * *")]
    [InlineData("0 30 23 L * *")]
    [InlineData("0 0 9 * * MON,WED,FRI 2026,2028-2029")]
    [InlineData("0 0 0 29 2 * 2026-2034")]
    [InlineData("0 0 12 1,31 12,1 * 2027,2029,2030")]
    [InlineData("0 0 0 13 * FRI 2026-2033")]
    public void Shortest_interval_matches_a_brute_force_scan_of_consecutive_fires(string expression)
    {
        // The brute force walks every fire from 2026 to 2034 in UTC; the computed interval must be the real minimum.
        var schedule = CronSchedule.Parse(expression);
        var fires = schedule.GetOccurrences(Utc(2025, 12, 31), Utc(2034, 1, 1), TimeZoneInfo.Utc).ToList();
        var observed = fires.Zip(fires.Skip(1), (a, b) => b - a).Min();

        schedule.ShortestInterval.ShouldBe(observed);
    }
}
