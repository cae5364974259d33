namespace GopherCron.Modules.Tasks.Domain.Cron;

/// <summary>
/// Computes the shortest gap between consecutive fires of a cron schedule, exactly and cheaply.
/// </summary>
/// <remarks>
/// Simply scanning "the next N fires" is wrong in both directions: for <c>* * * * * *</c> it wastes work, and for
/// Friday the 13th (<c>0 0 13 * FRI</c>) the shortest gap, 28 days from February to March of a common year, only
/// occurs in some years, so a short window misses it. Instead this uses
/// the shape of a cron expression evaluated in UTC (no DST there): the second, minute and hour fields are
/// independent of the date, so every day that fires at all fires at the same set of times of day T = H × M × S.
/// The gaps between consecutive fires are therefore of two kinds:
/// <list type="bullet">
/// <item>within a day: read off T, which is discovered with at most 60 + 60 + 24 next-occurrence calls
/// (one per second of the first fire minute, one per fire minute of the first fire hour, one per fire hour of the
/// first fire day);</item>
/// <item>across days: (days between consecutive fire days) × 24h − (last time of day − first time of day). This is
/// at least 24h − span, so when the shortest in-day gap is no longer than that (any expression firing more than
/// once an hour) no day needs to be looked at. Otherwise consecutive fire days are walked with one call per fire
/// day, stopping early at a one-day gap, which cannot be beaten.</item>
/// </list>
/// The day walk covers 2001–2028, one full 28-year cycle of the Gregorian calendar (the leap-year and weekday
/// pattern repeats every 28 years between 1901 and 2099), continuing past it until two fire days were seen so
/// rare schedules such as "29 February on a Monday" still get a gap. With a year field the allowed years (at most
/// 1970–2099) are covered with two calls each for the gaps between years, and the days inside a year are walked
/// once per distinct calendar, so at most 28 years are walked. The worst case, a once-a-day schedule that never
/// fires on two consecutive days, is about 10,000 calls (roughly a millisecond); typical expressions need a few
/// dozen.
/// In a zone with DST a single gap can be shorter than this once a year (a fire inside the spring-forward gap is
/// moved to the end of it); the minimum period this guards is about load, which that one gap does not change.
/// </remarks>
internal static class CronGaps
{
    private const long SecondsPerDay = 86_400;
    private const int CalendarCycleYears = 28;

    private static readonly DateTimeOffset CycleStart = new(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset CycleEnd = new(2029, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TimeSpan ShortestInterval(CronSchedule schedule, YearSet? years)
    {
        var start = years is null ? CycleStart : new DateTimeOffset(years.FirstYear, 1, 1, 0, 0, 0, TimeSpan.Zero);

        if (Next(schedule, start.AddTicks(-1)) is not { } first)
        {
            return TimeSpan.MaxValue;
        }

        var day = first.Date;
        var seconds = new SortedSet<int>();
        var minutes = new SortedSet<int>();
        var hours = new SortedSet<int>();

        for (DateTimeOffset? t = first; t is { } s && SameMinute(s, first); t = Next(schedule, s))
        {
            seconds.Add(s.Second);
        }

        for (DateTimeOffset? t = first; t is { } m && SameHour(m, first); t = Next(schedule, FloorToMinute(m).AddSeconds(59)))
        {
            minutes.Add(m.Minute);
        }

        for (DateTimeOffset? t = first; t is { } h && h.Date == day; t = Next(schedule, FloorToHour(h).AddSeconds(3_599)))
        {
            hours.Add(h.Hour);
        }

        var inDay = Math.Min(
            SmallestStep(seconds, 1, 0),
            Math.Min(
                SmallestStep(minutes, 60, seconds.Max - seconds.Min),
                SmallestStep(hours, 3_600, (minutes.Max * 60) + seconds.Max - (minutes.Min * 60) - seconds.Min)));
        var span = (hours.Max * 3_600L) + (minutes.Max * 60L) + seconds.Max - ((hours.Min * 3_600L) + (minutes.Min * 60L) + seconds.Min);

        if (inDay <= SecondsPerDay - span)
        {
            return TimeSpan.FromSeconds(inDay);
        }

        var shortestDayGap = years is null ? ShortestDayGap(schedule, first, CycleEnd) : ShortestDayGap(schedule, years);
        var acrossDays = shortestDayGap == long.MaxValue ? long.MaxValue : (shortestDayGap * SecondsPerDay) - span;
        var shortest = Math.Min(inDay, acrossDays);
        return shortest == long.MaxValue ? TimeSpan.MaxValue : TimeSpan.FromSeconds(shortest);
    }

    /// <summary>Walks consecutive fire days from <paramref name="first"/> to <paramref name="end"/> (and on until a second fire day).</summary>
    private static long ShortestDayGap(CronSchedule schedule, DateTimeOffset first, DateTimeOffset end)
    {
        var shortest = long.MaxValue;
        var fireDays = 1;
        var previous = first.Date;
        while (Next(schedule, EndOfDay(previous)) is { } next && (next < end || fireDays < 2))
        {
            fireDays++;
            shortest = Math.Min(shortest, (long)(next.Date - previous).TotalDays);
            if (shortest == 1)
            {
                break;
            }

            previous = next.Date;
        }

        return shortest;
    }

    /// <summary>
    /// With a year field: gaps between fire years come from each year's first and last fire (two calls a year), and
    /// gaps inside a year are walked only once per calendar: between 1970 and 2099 year Y and Y + 28 have the same
    /// calendar, so they have the same fire days.
    /// </summary>
    private static long ShortestDayGap(CronSchedule schedule, YearSet years)
    {
        var shortest = long.MaxValue;
        var walked = new bool[CalendarCycleYears];
        DateTime? previousLast = null;
        for (var year = years.FirstYear; year <= years.LastYear && shortest > 1; year++)
        {
            var startOfYear = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero);
            if (!years.Contains(year) || Next(schedule, startOfYear.AddTicks(-1)) is not { } first || first.Year != year)
            {
                continue;
            }

            if (previousLast is { } last)
            {
                shortest = Math.Min(shortest, (long)(first.Date - last).TotalDays);
            }

            previousLast = schedule.LastFireInUtcYear(year)?.Date ?? first.Date;
            if (!walked[year % CalendarCycleYears])
            {
                walked[year % CalendarCycleYears] = true;
                shortest = Math.Min(shortest, ShortestDayGap(schedule, first, startOfYear.AddYears(1)));
            }
        }

        return shortest;
    }

    /// <summary>
    /// Smallest gap between consecutive members of <paramref name="values"/> in units of <paramref name="unitSeconds"/>,
    /// less <paramref name="innerSpan"/>: the time from the last fire inside one unit to the first inside the next.
    /// </summary>
    private static long SmallestStep(SortedSet<int> values, long unitSeconds, long innerSpan)
    {
        var smallest = long.MaxValue;
        int? previous = null;
        foreach (var value in values)
        {
            if (previous is { } p)
            {
                smallest = Math.Min(smallest, ((value - p) * unitSeconds) - innerSpan);
            }

            previous = value;
        }

        return smallest;
    }

    private static DateTimeOffset? Next(CronSchedule schedule, DateTimeOffset after) =>
        schedule.GetNextOccurrence(after, TimeZoneInfo.Utc);

    private static bool SameMinute(DateTimeOffset a, DateTimeOffset b) => FloorToMinute(a) == FloorToMinute(b);

    private static bool SameHour(DateTimeOffset a, DateTimeOffset b) => FloorToHour(a) == FloorToHour(b);

    private static DateTimeOffset FloorToMinute(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, TimeSpan.Zero);

    private static DateTimeOffset FloorToHour(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset EndOfDay(DateTime day) => new DateTimeOffset(day, TimeSpan.Zero).AddDays(1).AddSeconds(-1);
}
