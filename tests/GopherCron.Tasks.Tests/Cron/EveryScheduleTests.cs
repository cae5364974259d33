using GopherCron.Modules.Tasks.Domain.Cron;
using static GopherCron.Tasks.Tests.Cron.CronTestKit;

namespace GopherCron.Tasks.Tests.Cron;

public sealed class EveryScheduleTests
{
    [Fact]
    public void Every_10s_fires_on_multiples_of_10s_since_the_epoch()
    {
        Next("@every 10s", Utc(2026, 1, 1, 0, 0, 3)).ShouldBe(Utc(2026, 1, 1, 0, 0, 10));
    }

    [Fact]
    public void Every_7s_is_anchored_to_the_epoch_not_to_midnight()
    {
        // 2026-01-02T00:00:00Z is 1767312000 s after the epoch, which is 6 past a multiple of 7.
        Next("@every 7s", Utc(2026, 1, 2, 0, 0, 0)).ShouldBe(Utc(2026, 1, 2, 0, 0, 1));
        Next("@every 7s", Utc(2026, 1, 2, 0, 0, 1)).ShouldBe(Utc(2026, 1, 2, 0, 0, 8));
    }

    [Fact]
    public void Every_1h30m_fires_at_whole_multiples()
    {
        CronSchedule.Parse("@every 1h30m").GetOccurrences(Utc(2026, 1, 1, 0, 0, 0), Utc(2026, 1, 1, 5, 0, 0), TimeZoneInfo.Utc)
            .ShouldBe([Utc(2026, 1, 1, 1, 30, 0), Utc(2026, 1, 1, 3, 0, 0), Utc(2026, 1, 1, 4, 30, 0)]);
    }

    [Fact]
    public void Fires_do_not_depend_on_where_the_scan_started()
    {
        // A scheduler restarted at a different moment must compute the same instants.
        var schedule = CronSchedule.Parse("@every 90s");
        var end = Utc(2026, 1, 1, 1, 0, 0);

        var fromMidnight = schedule.GetOccurrences(Utc(2026, 1, 1, 0, 0, 0), end, TimeZoneInfo.Utc).ToList();
        var fromLater = schedule.GetOccurrences(Utc(2026, 1, 1, 0, 17, 42, 123), end, TimeZoneInfo.Utc).ToList();

        fromLater.ShouldBe(fromMidnight.Where(f => f > Utc(2026, 1, 1, 0, 17, 42, 123)));
        fromLater.ShouldAllBe(f => (f - DateTimeOffset.UnixEpoch).Ticks % TimeSpan.FromSeconds(90).Ticks == 0);
    }

    [Fact]
    public void Every_500ms_fires_on_half_seconds()
    {
        CronSchedule.Parse("@every 500ms").GetOccurrences(Utc(2026, 1, 1, 0, 0, 0, 200), Utc(2026, 1, 1, 0, 0, 1, 500), TimeZoneInfo.Utc)
            .ShouldBe([Utc(2026, 1, 1, 0, 0, 0, 500), Utc(2026, 1, 1, 0, 0, 1, 0), Utc(2026, 1, 1, 0, 0, 1, 500)]);
    }

    [Fact]
    public void Every_1d_fires_at_utc_midnight_whatever_the_zone()
    {
        Next("@every 1d", Utc(2026, 7, 1, 12, 0, 0), "Europe/Berlin").ShouldBe(Utc(2026, 7, 2, 0, 0, 0));
        Next("@every 1d", Utc(2026, 7, 1, 12, 0, 0), "America/New_York").ShouldBe(Utc(2026, 7, 2, 0, 0, 0));
    }

    [Fact]
    public void Instants_before_the_epoch_round_towards_the_past_correctly()
    {
        Next("@every 1h", Utc(1969, 12, 31, 22, 30, 0)).ShouldBe(Utc(1969, 12, 31, 23, 0, 0));
        Next("@every 1h", Utc(1969, 12, 31, 23, 0, 0)).ShouldBe(Utc(1970, 1, 1, 0, 0, 0));
    }

    [Theory]
    [InlineData("@every 500ms", 500)]
    [InlineData("@every 1s", 1_000)]
    [InlineData("@every 90s", 90_000)]
    [InlineData("@every 5m", 300_000)]
    [InlineData("@every 1h30m", 5_400_000)]
    [InlineData("@every 2h", 7_200_000)]
    [InlineData("@every 1d", 86_400_000)]
    [InlineData("@every 1.5s", 1_500)]
    [InlineData("@every 1d2h3m4s5ms", 93_784_005)]
    [InlineData("@EVERY   10s", 10_000)]
    public void Durations_use_go_units_plus_days(string expression, long milliseconds)
    {
        var schedule = CronSchedule.Parse(expression);

        schedule.Every.ShouldBe(TimeSpan.FromMilliseconds(milliseconds));
        schedule.ShortestInterval.ShouldBe(TimeSpan.FromMilliseconds(milliseconds));
    }
}
