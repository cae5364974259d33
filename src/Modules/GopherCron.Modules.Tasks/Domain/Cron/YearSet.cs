using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace GopherCron.Modules.Tasks.Domain.Cron;

/// <summary>
/// The seventh (year) field of GopherCron's UI form. Cronos has no year field, so the schedule strips it
/// and filters Cronos' occurrences through this set.
/// </summary>
internal sealed class YearSet
{
    public const int MinYear = 1970;
    public const int MaxYear = 2099;

    private readonly bool[] _allowed;

    private YearSet(bool[] allowed)
    {
        _allowed = allowed;
        FirstYear = Array.IndexOf(allowed, true) + MinYear;
        LastYear = Array.LastIndexOf(allowed, true) + MinYear;
    }

    public int FirstYear { get; }

    public int LastYear { get; }

    public bool Contains(int year) => year is >= MinYear and <= MaxYear && _allowed[year - MinYear];

    /// <summary>The first allowed year at or after <paramref name="year"/>, or null when none remains.</summary>
    public int? NextAllowed(int year)
    {
        for (var y = Math.Max(year, MinYear); y <= MaxYear; y++)
        {
            if (_allowed[y - MinYear])
            {
                return y;
            }
        }

        return null;
    }

    /// <summary>
    /// Parses the field. <paramref name="years"/> is null for <c>*</c> or <c>?</c>: every year, including those after
    /// 2099, which an explicit year could not name.
    /// </summary>
    public static bool TryParse(string text, out YearSet? years, [NotNullWhen(false)] out string? error)
    {
        years = null;
        if (text is "*" or "?")
        {
            error = null;
            return true;
        }

        var allowed = new bool[MaxYear - MinYear + 1];
        foreach (var item in text.Split(','))
        {
            error = AddItem(item, text, allowed);
            if (error is not null)
            {
                error = $"field 'year': {error}";
                return false;
            }
        }

        years = new YearSet(allowed);
        error = null;
        return true;
    }

    private static string? AddItem(string item, string text, bool[] allowed)
    {
        if (item.Length == 0)
        {
            return $"empty element in list '{text}'";
        }

        var slash = item.IndexOf('/', StringComparison.Ordinal);
        var rangeText = slash < 0 ? item : item[..slash];
        var step = 1;
        if (slash >= 0)
        {
            var stepText = item[(slash + 1)..];
            if (!TryNumber(stepText, out step) || step < 1)
            {
                return $"step '{stepText}' in '{item}' must be a whole number of at least 1";
            }
        }

        int from;
        int to;
        if (rangeText is "*" or "?")
        {
            (from, to) = (MinYear, MaxYear);
        }
        else
        {
            var dash = rangeText.IndexOf('-', StringComparison.Ordinal);
            var fromText = dash < 0 ? rangeText : rangeText[..dash];
            var error = ReadYear(fromText, item, out from);
            if (error is not null)
            {
                return error;
            }

            to = from;
            if (dash >= 0)
            {
                error = ReadYear(rangeText[(dash + 1)..], item, out to);
                if (error is not null)
                {
                    return error;
                }

                if (to < from)
                {
                    return $"range '{rangeText}' runs backwards";
                }
            }
            else if (slash >= 0)
            {
                // Quartz convention: "2026/2" means every second year starting at 2026.
                to = MaxYear;
            }
        }

        for (var year = from; year <= to; year += step)
        {
            allowed[year - MinYear] = true;
        }

        return null;
    }

    private static string? ReadYear(string text, string item, out int year)
    {
        if (!TryNumber(text, out year))
        {
            if (text.Length > 0 && text.All(char.IsAsciiDigit))
            {
                return $"value {text} is out of range {MinYear}-{MaxYear}";
            }

            return text.Length == 0 ? $"missing year in '{item}'" : $"'{text}' is not a year";
        }

        return year is < MinYear or > MaxYear ? $"value {text} is out of range {MinYear}-{MaxYear}" : null;
    }

    private static bool TryNumber(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
