using System.Diagnostics.CodeAnalysis;
using Cronos;

namespace GopherCron.Modules.Tasks.Domain.Cron;

/// <summary>
/// A task's schedule in GopherCron's cron dialect: 5, 6 or 7 fields, aliases, or <c>@every &lt;duration&gt;</c>.
/// The dialect is described in docs/cron.md. Immutable and safe to share between threads.
/// </summary>
internal sealed class CronSchedule
{
    private static readonly CronFieldSyntax.Field[] SixFields =
    [
        CronFieldSyntax.Second,
        CronFieldSyntax.Minute,
        CronFieldSyntax.Hour,
        CronFieldSyntax.DayOfMonth,
        CronFieldSyntax.Month,
        CronFieldSyntax.DayOfWeek,
    ];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 0 1 1 *",
        ["@annually"] = "0 0 0 1 1 *",
        ["@monthly"] = "0 0 0 1 * *",
        ["@weekly"] = "0 0 0 * * SUN",
        ["@daily"] = "0 0 0 * * *",
        ["@midnight"] = "0 0 0 * * *",
        ["@hourly"] = "0 0 * * * *",
        ["@every_minute"] = "0 * * * * *",
        ["@every_second"] = "* * * * * *",
    };

    private static readonly long EpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    private readonly CronExpression? _cron;
    private readonly YearSet? _years;
    private readonly TimeSpan _every;
    private readonly Lazy<TimeSpan> _shortestInterval;

    private CronSchedule(string expression, CronExpression? cron, YearSet? years, TimeSpan every)
    {
        Expression = expression;
        _cron = cron;
        _years = years;
        _every = every;
        _shortestInterval = new Lazy<TimeSpan>(
            () => _cron is null ? _every : CronGaps.ShortestInterval(this, _years),
            LazyThreadSafetyMode.PublicationOnly);
    }

    /// <summary>The expression as given, trimmed.</summary>
    public string Expression { get; }

    /// <summary>For <c>@every</c> schedules, the period; otherwise null.</summary>
    public TimeSpan? Every => _cron is null ? _every : null;

    /// <summary>
    /// The shortest gap between two consecutive fires this schedule can produce, evaluated in UTC;
    /// <see cref="TimeSpan.MaxValue"/> when it never fires twice. See <see cref="CronGaps"/> for how.
    /// </summary>
    public TimeSpan ShortestInterval => _shortestInterval.Value;

    public static CronSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return TryParse(expression, out var schedule, out var error) ? schedule : throw new FormatException(error);
    }

    public static bool TryParse(string? expression, [NotNullWhen(true)] out CronSchedule? schedule, [NotNullWhen(false)] out string? error)
    {
        schedule = null;
        var trimmed = expression?.Trim() ?? string.Empty;
        var fields = trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0)
        {
            error = "cron expression is empty";
            return false;
        }

        if (fields[0].StartsWith('@'))
        {
            return TryParseAlias(trimmed, fields, out schedule, out error);
        }

        if (fields.Length is < 5 or > 7)
        {
            error = $"expected 5, 6 or 7 fields but got {fields.Length}";
            return false;
        }

        // Cronos is always driven in its seconds format so 5-, 6- and 7-field expressions share one path.
        var six = fields.Length == 5 ? ["0", .. fields] : fields[..6];
        for (var i = 0; i < six.Length; i++)
        {
            error = CronFieldSyntax.Check(SixFields[i], six[i]);
            if (error is not null)
            {
                return false;
            }
        }

        YearSet? years = null;
        if (fields.Length == 7 && !YearSet.TryParse(fields[6], out years, out error))
        {
            return false;
        }

        return TryCreate(trimmed, string.Join(' ', six), years, out schedule, out error);
    }

    /// <summary>Next fire strictly after <paramref name="after"/>, evaluated in <paramref name="zone"/>, in UTC; null when there is none.</summary>
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset after, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return _cron is null ? NextEvery(after) : NextCron(after, zone);
    }

    /// <summary>Fires in (<paramref name="fromExclusive"/>, <paramref name="toInclusive"/>], ascending, lazily, in UTC.</summary>
    public IEnumerable<DateTimeOffset> GetOccurrences(DateTimeOffset fromExclusive, DateTimeOffset toInclusive, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return Enumerate(fromExclusive, toInclusive, zone);
    }

    public override string ToString() => Expression;

    private IEnumerable<DateTimeOffset> Enumerate(DateTimeOffset fromExclusive, DateTimeOffset toInclusive, TimeZoneInfo zone)
    {
        var cursor = fromExclusive;
        while (GetNextOccurrence(cursor, zone) is { } next && next <= toInclusive)
        {
            yield return next;
            cursor = next;
        }
    }

    private static bool TryParseAlias(string trimmed, string[] fields, out CronSchedule? schedule, [NotNullWhen(false)] out string? error)
    {
        schedule = null;
        var alias = fields[0];
        if (string.Equals(alias, "@every", StringComparison.OrdinalIgnoreCase))
        {
            if (fields.Length != 2)
            {
                error = fields.Length == 1
                    ? "@every needs a duration, e.g. '@every 5m'"
                    : $"@every takes a single duration without spaces, e.g. '@every 1h30m', got '{string.Join(' ', fields[1..])}'";
                return false;
            }

            if (!EveryDuration.TryParse(fields[1], out var every, out error))
            {
                return false;
            }

            schedule = new CronSchedule(trimmed, cron: null, years: null, every);
            return true;
        }

        if (!Aliases.TryGetValue(alias, out var six))
        {
            error = $"unknown alias '{alias}': expected one of {string.Join(", ", Aliases.Keys)} or '@every <duration>'";
            return false;
        }

        if (fields.Length != 1)
        {
            error = $"alias '{alias}' takes no further fields";
            return false;
        }

        return TryCreate(trimmed, six, years: null, out schedule, out error);
    }

    private static bool TryCreate(string trimmed, string sixFields, YearSet? years, out CronSchedule? schedule, [NotNullWhen(false)] out string? error)
    {
        schedule = null;
        CronExpression cron;
        try
        {
            cron = CronExpression.Parse(sixFields, CronFormat.IncludeSeconds);
        }
        catch (CronFormatException ex)
        {
            // Our field check let it through, so this is a combination rule only Cronos knows (e.g. "L,5").
            error = $"invalid cron expression: {ex.Message}";
            return false;
        }

        var candidate = new CronSchedule(trimmed, cron, years, TimeSpan.Zero);

        // Searching from the first year the dialect can name means an expression whose years are all past still
        // parses (it is exhausted, not wrong), while one whose dates can never exist ("30 2") is refused.
        var searchFrom = new DateTimeOffset(years?.FirstYear ?? YearSet.MinYear, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(-1);
        if (candidate.NextCron(searchFrom, TimeZoneInfo.Utc) is null)
        {
            error = years is null
                ? $"cron expression '{trimmed}' never fires: no date matches its day-of-month, month and day-of-week"
                : $"cron expression '{trimmed}' never fires: no date in its years matches its day-of-month, month and day-of-week";
            return false;
        }

        schedule = candidate;
        error = null;
        return true;
    }

    private DateTimeOffset? NextEvery(DateTimeOffset after)
    {
        // Anchored to the Unix epoch so every replica computes the same instants, whenever it started.
        var period = _every.Ticks;
        Int128 sinceEpoch = after.UtcTicks - EpochTicks;
        var (quotient, remainder) = Int128.DivRem(sinceEpoch, period);
        var index = remainder < 0 ? quotient - 1 : quotient;
        var ticks = EpochTicks + ((index + 1) * period);
        return ticks > DateTimeOffset.MaxValue.UtcTicks ? null : new DateTimeOffset((long)ticks, TimeSpan.Zero);
    }

    private DateTimeOffset? NextCron(DateTimeOffset after, TimeZoneInfo zone)
    {
        var cursor = after;
        var inclusive = false;
        while (true)
        {
            // Cronos returns the instant with the zone's offset, so Year is the local year.
            if (_cron!.GetNextOccurrence(cursor, zone, inclusive) is not { } next)
            {
                return null;
            }

            if (_years is null || _years.Contains(next.Year))
            {
                return next.ToUniversalTime();
            }

            if (_years.NextAllowed(next.Year + 1) is not { } year)
            {
                return null;
            }

            // Jump straight to the next allowed year instead of walking every fire of the disallowed ones.
            var startOfYear = StartOfLocalYear(year, zone);
            if (startOfYear > next)
            {
                (cursor, inclusive) = (startOfYear, true);
            }
            else
            {
                // Only reachable if the zone's clock went back across a new year; step past this fire so the
                // loop always moves forward.
                (cursor, inclusive) = (next, false);
            }
        }
    }

    /// <summary>The last fire inside the UTC calendar year <paramref name="year"/>, or null when none.</summary>
    internal DateTimeOffset? LastFireInUtcYear(int year)
    {
        var last = _cron?.GetPreviousOccurrence(new DateTimeOffset(year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc);
        return last is { } fire && fire.Year == year && (_years is null || _years.Contains(year)) ? fire : null;
    }

    /// <summary>
    /// The first instant whose local date in <paramref name="zone"/> lies in <paramref name="year"/>. Found by bisection
    /// over whole seconds rather than by converting local midnight, because local midnight may not exist (a transition
    /// at midnight) or may exist twice.
    /// </summary>
    private static DateTimeOffset StartOfLocalYear(int year, TimeZoneInfo zone)
    {
        var utcMidnight = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero);

        // UTC offsets lie within -12h..+14h; a day on either side is a safe bracket.
        long lo = -86_400;
        long hi = 86_400;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (TimeZoneInfo.ConvertTime(utcMidnight.AddSeconds(mid), zone).Year >= year)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return utcMidnight.AddSeconds(lo);
    }
}
