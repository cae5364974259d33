using GopherCron.Modules.Tasks.Domain.Cron;
using static GopherCron.Tasks.Tests.Cron.CronTestKit;

namespace GopherCron.Tasks.Tests.Cron;

public sealed class CronScheduleTests
{
    private static readonly DateTimeOffset NewYear2026 = Utc(2026, 1, 1);

    [Fact]
    public void Five_fields_are_minute_hour_day_month_weekday_and_fire_on_second_zero()
    {
        Next("30 9 * * *", NewYear2026).ShouldBe(Utc(2026, 1, 1, 9, 30, 0));
    }

    [Fact]
    public void Six_fields_start_with_seconds()
    {
        Next("15 30 9 * * *", NewYear2026).ShouldBe(Utc(2026, 1, 1, 9, 30, 15));
    }

    [Fact]
    public void Seven_fields_end_with_a_year()
    {
        Next("0 30 9 * * * 2027", NewYear2026).ShouldBe(Utc(2027, 1, 1, 9, 30, 0));
    }

    [Fact]
    public void Extra_whitespace_and_tabs_between_fields_are_accepted_and_the_expression_is_kept_trimmed()
    {
        var schedule = CronSchedule.Parse("  */20 \t *   * * *  ");

        schedule.Expression.ShouldBe("*/20 \t *   * * *");
        schedule.GetNextOccurrence(Utc(2026, 1, 1, 0, 0, 1), TimeZoneInfo.Utc).ShouldBe(Utc(2026, 1, 1, 0, 20, 0));
    }

    [Fact]
    public void Next_occurrence_is_strictly_after_the_given_instant_and_in_utc()
    {
        var next = CronSchedule.Parse("0 9 * * *").GetNextOccurrence(Utc(2026, 1, 1, 9, 0, 0), Zone("Europe/Berlin"));

        next.ShouldBe(Utc(2026, 1, 2, 8, 0, 0));
        next!.Value.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void Occurrences_are_from_exclusive_to_inclusive_and_ascending()
    {
        var fires = CronSchedule.Parse("0 */6 * * *").GetOccurrences(Utc(2026, 1, 1, 0, 0, 0), Utc(2026, 1, 2, 0, 0, 0), TimeZoneInfo.Utc).ToList();

        fires.ShouldBe([Utc(2026, 1, 1, 6), Utc(2026, 1, 1, 12), Utc(2026, 1, 1, 18), Utc(2026, 1, 2, 0)]);
        fires.ShouldAllBe(f => f.Offset == TimeSpan.Zero);
    }

    [Fact]
    public void Occurrences_are_produced_lazily()
    {
        // Every second for a century: only lazy enumeration can hand out the first three.
        var fires = CronSchedule.Parse("* * * * * *").GetOccurrences(NewYear2026, Utc(2126, 1, 1), TimeZoneInfo.Utc).Take(3).ToList();

        fires.ShouldBe([Utc(2026, 1, 1, 0, 0, 1), Utc(2026, 1, 1, 0, 0, 2), Utc(2026, 1, 1, 0, 0, 3)]);
    }

    [Fact]
    public void Parse_throws_a_format_exception_carrying_the_try_parse_message()
    {
        var ex = Should.Throw<FormatException>(() => CronSchedule.Parse("61 * * * *"));

        ex.Message.ShouldBe(ParseError("61 * * * *"));
    }

    // ---- special characters -------------------------------------------------------------------

    [Theory]
    [InlineData(2026, 28)]
    [InlineData(2028, 29)]
    public void L_in_day_of_month_is_the_last_day_including_february_of_leap_years(int year, int lastDay)
    {
        Next("0 0 0 L 2 *", Utc(year, 1, 1)).ShouldBe(Utc(year, 2, lastDay));
    }

    [Fact]
    public void L_fires_on_the_last_day_of_every_month()
    {
        var fires = CronSchedule.Parse("0 0 L * *").GetOccurrences(NewYear2026, Utc(2026, 5, 1), TimeZoneInfo.Utc).ToList();

        fires.ShouldBe([Utc(2026, 1, 31), Utc(2026, 2, 28), Utc(2026, 3, 31), Utc(2026, 4, 30)]);
    }

    [Theory]
    [InlineData("0 0 0 15W 2 *", 2026, 2, 16)] // 15 Feb 2026 is a Sunday: the Monday after
    [InlineData("0 0 0 15W 8 *", 2026, 8, 14)] // 15 Aug 2026 is a Saturday: the Friday before
    [InlineData("0 0 0 15W 4 *", 2026, 4, 15)] // a Wednesday: the day itself
    [InlineData("0 0 0 1W 8 *", 2026, 8, 3)] // 1 Aug 2026 is a Saturday: Monday the 3rd, never back into July
    [InlineData("0 0 0 31W 1 *", 2027, 1, 29)] // 31 Jan 2027 is a Sunday: Friday the 29th, never into February
    public void W_is_the_nearest_weekday_within_the_same_month(string expression, int year, int month, int day)
    {
        Next(expression, Utc(2026, 2, 1)).ShouldBe(Utc(year, month, day));
    }

    [Theory]
    [InlineData(2026, 1, 30)] // 31 Jan 2026 is a Saturday
    [InlineData(2026, 5, 29)] // 31 May 2026 is a Sunday
    [InlineData(2026, 6, 30)] // a Tuesday: the last day itself
    public void LW_is_the_last_weekday_of_the_month(int year, int month, int day)
    {
        Next($"0 0 0 LW {month} *", Utc(year, 1, 1)).ShouldBe(Utc(year, month, day));
    }

    [Fact]
    public void Hash_is_the_nth_weekday_of_the_month()
    {
        // Fridays in January 2026: 2, 9, 16, 23, 30.
        Next("0 0 0 * 1 5#3", NewYear2026).ShouldBe(Utc(2026, 1, 16));
        Next("0 0 0 * 1 FRI#1", NewYear2026).ShouldBe(Utc(2026, 1, 2));
    }

    [Fact]
    public void L_in_day_of_week_is_the_last_such_weekday_of_the_month()
    {
        Next("0 0 0 * 1 5L", NewYear2026).ShouldBe(Utc(2026, 1, 30));
        Next("0 0 0 * 1 FRIL", NewYear2026).ShouldBe(Utc(2026, 1, 30));
    }

    [Fact]
    public void Question_mark_means_any()
    {
        // 1 Jan 2026 is a Thursday.
        Next("0 0 0 ? * MON", NewYear2026).ShouldBe(Utc(2026, 1, 5));
        Next("0 0 0 10 * ?", NewYear2026).ShouldBe(Utc(2026, 1, 10));
    }

    [Fact]
    public void Day_of_month_and_day_of_week_together_must_both_match()
    {
        // Cronos uses AND, not Vixie cron's OR: this is Friday the 13th only.
        var fires = CronSchedule.Parse("0 0 13 * FRI").GetOccurrences(NewYear2026, Utc(2026, 12, 31), TimeZoneInfo.Utc).ToList();

        fires.ShouldBe([Utc(2026, 2, 13), Utc(2026, 3, 13), Utc(2026, 11, 13)]);
    }

    [Fact]
    public void Ranges_may_wrap_around()
    {
        var fires = CronSchedule.Parse("0 23-1 * * *").GetOccurrences(Utc(2025, 12, 31, 22), Utc(2026, 1, 2, 2), TimeZoneInfo.Utc).ToList();

        fires.ShouldBe([Utc(2025, 12, 31, 23), Utc(2026, 1, 1, 0), Utc(2026, 1, 1, 1), Utc(2026, 1, 1, 23), Utc(2026, 1, 2, 0), Utc(2026, 1, 2, 1)]);
    }

    // ---- names ----------------------------------------------------------------------------------

    [Theory]
    [InlineData("0 0 1 jan,Jul *")]
    [InlineData("0 0 1 JAN,JUL *")]
    [InlineData("0 0 1 1,7 *")]
    public void Month_names_are_case_insensitive(string expression)
    {
        CronSchedule.Parse(expression).GetOccurrences(Utc(2025, 12, 31), Utc(2026, 12, 31), TimeZoneInfo.Utc)
            .ShouldBe([Utc(2026, 1, 1), Utc(2026, 7, 1)]);
    }

    [Theory]
    [InlineData("0 0 * * mon-fri")]
    [InlineData("0 0 * * MON-FRI")]
    [InlineData("0 0 * * 1-5")]
    public void Weekday_names_are_case_insensitive(string expression)
    {
        // Thursday 1 Jan 2026 to Thursday 8 Jan 2026.
        CronSchedule.Parse(expression).GetOccurrences(Utc(2026, 1, 1), Utc(2026, 1, 8), TimeZoneInfo.Utc)
            .ShouldBe([Utc(2026, 1, 2), Utc(2026, 1, 5), Utc(2026, 1, 6), Utc(2026, 1, 7), Utc(2026, 1, 8)]);
    }

    [Theory]
    [InlineData("0 0 * * 0")]
    [InlineData("0 0 * * 7")]
    [InlineData("0 0 * * SUN")]
    public void Sunday_is_0_7_or_SUN(string expression)
    {
        Next(expression, NewYear2026).ShouldBe(Utc(2026, 1, 4));
    }

    // ---- aliases --------------------------------------------------------------------------------

    [Theory]
    [InlineData("@yearly", "2027-01-01T00:00:00Z")]
    [InlineData("@annually", "2027-01-01T00:00:00Z")]
    [InlineData("@monthly", "2026-02-01T00:00:00Z")]
    [InlineData("@weekly", "2026-01-04T00:00:00Z")]
    [InlineData("@daily", "2026-01-02T00:00:00Z")]
    [InlineData("@midnight", "2026-01-02T00:00:00Z")]
    [InlineData("@hourly", "2026-01-01T13:00:00Z")]
    [InlineData("@every_minute", "2026-01-01T12:35:00Z")]
    [InlineData("@every_second", "2026-01-01T12:34:57Z")]
    [InlineData("@DAILY", "2026-01-02T00:00:00Z")]
    public void Aliases_expand_to_their_cron_equivalents(string alias, string expected)
    {
        Next(alias, Utc(2026, 1, 1, 12, 34, 56)).ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Aliases_are_evaluated_in_the_zone()
    {
        Next("@daily", NewYear2026, "Europe/Berlin").ShouldBe(Utc(2026, 1, 1, 23, 0, 0));
    }

    // ---- years ----------------------------------------------------------------------------------

    [Theory]
    [InlineData("2026,2028", new[] { 2026, 2028 })]
    [InlineData("2026-2028", new[] { 2026, 2027, 2028 })]
    [InlineData("2026/2", new[] { 2026, 2028, 2030 })]
    [InlineData("2026-2031/2", new[] { 2026, 2028, 2030 })]
    [InlineData("*/2", new[] { 2026, 2028, 2030 })] // from 1970: the even years
    [InlineData("2027,2026-2026", new[] { 2026, 2027 })]
    [InlineData("*", new[] { 2026, 2027, 2028, 2029, 2030 })]
    public void Year_field_selects_years(string yearField, int[] years)
    {
        var fires = CronSchedule.Parse($"0 0 0 1 1 * {yearField}").GetOccurrences(Utc(2025, 6, 1), Utc(2030, 6, 1), TimeZoneInfo.Utc);

        fires.ShouldBe(years.Select(y => Utc(y, 1, 1)));
    }

    [Fact]
    public void A_wildcard_year_is_not_limited_to_2099()
    {
        Next("0 0 0 1 1 * *", Utc(2099, 6, 1)).ShouldBe(Utc(2100, 1, 1));
    }

    [Fact]
    public void A_year_list_entirely_in_the_past_parses_but_never_fires_again()
    {
        var schedule = CronSchedule.Parse("0 0 12 * * * 2020,2021");

        schedule.GetNextOccurrence(Utc(2021, 12, 31, 11, 0, 0), TimeZoneInfo.Utc).ShouldBe(Utc(2021, 12, 31, 12, 0, 0));
        schedule.GetNextOccurrence(NewYear2026, TimeZoneInfo.Utc).ShouldBeNull();
        schedule.GetOccurrences(NewYear2026, Utc(2099, 1, 1), TimeZoneInfo.Utc).ShouldBeEmpty();
    }

    [Fact]
    public void After_the_last_allowed_year_there_is_no_next_occurrence()
    {
        var schedule = CronSchedule.Parse("* * * * * * 2099");

        schedule.GetNextOccurrence(Utc(2099, 12, 31, 23, 59, 58), TimeZoneInfo.Utc).ShouldBe(Utc(2099, 12, 31, 23, 59, 59));
        schedule.GetNextOccurrence(Utc(2099, 12, 31, 23, 59, 59), TimeZoneInfo.Utc).ShouldBeNull();
    }

    [Fact]
    public void Disallowed_years_are_jumped_over_not_walked()
    {
        // Walking every second of 2026-2029 would take minutes; jumping to 1 Jan 2030 is immediate.
        Next("* * * * * * 2030", NewYear2026).ShouldBe(Utc(2030, 1, 1, 0, 0, 0));
        Next("* * * * * * 2026,2030", Utc(2026, 12, 31, 23, 59, 59)).ShouldBe(Utc(2030, 1, 1, 0, 0, 0));
    }

    [Fact]
    public void The_year_is_the_local_year_in_the_zone()
    {
        // Midnight on 1 Jan 2027 in Berlin is still 2026 in UTC.
        Next("0 0 0 1 1 * 2027", NewYear2026, "Europe/Berlin").ShouldBe(Utc(2026, 12, 31, 23, 0, 0));

        // 23:30 on 31 Dec 2026 in New York is already 2027 in UTC, but 2026 locally, so it is allowed.
        Next("0 30 23 31 12 * 2026", NewYear2026, "America/New_York").ShouldBe(Utc(2027, 1, 1, 4, 30, 0));
    }

    [Fact]
    public void A_year_jump_in_a_zone_lands_on_local_new_year()
    {
        // Every hour, only in 2027, in New York: the first fire is local midnight, 05:00Z.
        Next("0 0 * * * * 2027", Utc(2026, 6, 1), "America/New_York").ShouldBe(Utc(2027, 1, 1, 5, 0, 0));
    }

    // ---- time zones and daylight saving ----------------------------------------------------------

    [Fact]
    public void A_9_oclock_Berlin_fire_is_08Z_in_winter_and_07Z_in_summer()
    {
        Next("0 9 * * *", Utc(2026, 1, 15), "Europe/Berlin").ShouldBe(Utc(2026, 1, 15, 8, 0, 0));
        Next("0 9 * * *", Utc(2026, 7, 15), "Europe/Berlin").ShouldBe(Utc(2026, 7, 15, 7, 0, 0));
    }

    [Fact]
    public void Spring_forward_in_Berlin_moves_a_fire_in_the_gap_to_the_end_of_the_gap()
    {
        // 29 Mar 2026: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist that day.
        var fires = CronSchedule.Parse("30 2 * * *").GetOccurrences(Utc(2026, 3, 28), Utc(2026, 3, 31), Zone("Europe/Berlin")).ToList();

        fires.ShouldBe(
        [
            Utc(2026, 3, 28, 1, 30, 0), // 02:30 CET
            Utc(2026, 3, 29, 1, 0, 0), // 03:00 CEST: the first instant after the gap
            Utc(2026, 3, 30, 0, 30, 0), // 02:30 CEST
        ]);
    }

    [Fact]
    public void Spring_forward_in_New_York_moves_a_fire_in_the_gap_to_the_end_of_the_gap()
    {
        // 8 Mar 2026: 02:00 EST jumps to 03:00 EDT.
        Next("30 2 * * *", Utc(2026, 3, 7, 12, 0, 0), "America/New_York").ShouldBe(Utc(2026, 3, 8, 7, 0, 0));
    }

    [Fact]
    public void Fall_back_in_Berlin_fires_a_daily_expression_once_at_the_first_occurrence()
    {
        // 25 Oct 2026: 03:00 CEST falls back to 02:00 CET, so 02:30 happens twice (00:30Z and 01:30Z).
        var fires = CronSchedule.Parse("30 2 * * *").GetOccurrences(Utc(2026, 10, 24, 12, 0, 0), Utc(2026, 10, 26, 12, 0, 0), Zone("Europe/Berlin")).ToList();

        fires.ShouldBe([Utc(2026, 10, 25, 0, 30, 0), Utc(2026, 10, 26, 1, 30, 0)]);
    }

    [Fact]
    public void Fall_back_in_New_York_fires_an_interval_expression_in_both_offsets()
    {
        // 1 Nov 2026: 02:00 EDT falls back to 01:00 EST; 01:00-01:45 local happen twice and both run.
        var fires = CronSchedule.Parse("*/15 * * * *").GetOccurrences(Utc(2026, 11, 1, 4, 0, 0), Utc(2026, 11, 1, 7, 0, 0), Zone("America/New_York")).ToList();

        fires.Count.ShouldBe(12);
        fires.Zip(fires.Skip(1), (a, b) => b - a).ShouldAllBe(gap => gap == TimeSpan.FromMinutes(15));
        fires.ShouldContain(Utc(2026, 11, 1, 5, 0, 0)); // 01:00 EDT
        fires.ShouldContain(Utc(2026, 11, 1, 6, 0, 0)); // 01:00 EST
    }

    [Theory]
    [InlineData("0 * * * *", new[] { "05:00", "06:00", "07:00" })] // '*' hour: 01:00 EDT, 01:00 EST, 02:00 EST
    [InlineData("0 1-2 * * *", new[] { "05:00", "06:00", "07:00" })] // a range counts as an interval too
    [InlineData("*/30 1 * * *", new[] { "05:00", "05:30", "06:00", "06:30" })] // a step in any time field does
    [InlineData("0,30 1 * * *", new[] { "05:00", "05:30" })] // a list does not: first occurrence only
    [InlineData("0 1,2 * * *", new[] { "05:00", "07:00" })]
    public void Fall_back_repeats_only_for_time_fields_with_a_wildcard_range_or_step(string expression, string[] utcTimes)
    {
        var fires = CronSchedule.Parse(expression).GetOccurrences(Utc(2026, 11, 1, 4, 30, 0), Utc(2026, 11, 1, 7, 0, 0), Zone("America/New_York"));

        fires.Select(f => f.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(utcTimes);
    }

    [Fact]
    public void Fall_back_in_New_York_fires_a_fixed_time_once()
    {
        Next("30 1 * * *", Utc(2026, 11, 1, 0, 0, 0), "America/New_York").ShouldBe(Utc(2026, 11, 1, 5, 30, 0)); // 01:30 EDT
        Next("30 1 * * *", Utc(2026, 11, 1, 5, 30, 0), "America/New_York").ShouldBe(Utc(2026, 11, 2, 6, 30, 0)); // next day, EST
    }

    [Fact]
    public void Utc_schedules_ignore_daylight_saving()
    {
        CronSchedule.Parse("30 2 * * *").GetOccurrences(Utc(2026, 3, 28), Utc(2026, 3, 31), TimeZoneInfo.Utc)
            .ShouldBe([Utc(2026, 3, 28, 2, 30, 0), Utc(2026, 3, 29, 2, 30, 0), Utc(2026, 3, 30, 2, 30, 0)]);
    }
}
