using System.Globalization;

namespace GopherCron.Modules.Tasks.Domain.Cron;

/// <summary>
/// Checks one cron field against the dialect before Cronos sees it. Cronos stays the authority on
/// what parses (anything this lets through is parsed by Cronos, whose message is passed on), but its
/// messages name no value ("Value must be a number between 0 and 59"), and users editing a schedule
/// in the UI need to be told which value in which field is wrong.
/// </summary>
internal static class CronFieldSyntax
{
    internal enum FieldKind
    {
        Plain,
        DayOfMonth,
        DayOfWeek,
    }

    internal sealed record Field(string Name, int Min, int Max, FieldKind Kind = FieldKind.Plain, string[]? Names = null, int NameBase = 0);

    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    public static readonly Field Second = new("second", 0, 59);
    public static readonly Field Minute = new("minute", 0, 59);
    public static readonly Field Hour = new("hour", 0, 23);
    public static readonly Field DayOfMonth = new("day-of-month", 1, 31, FieldKind.DayOfMonth);
    public static readonly Field Month = new("month", 1, 12, FieldKind.Plain, MonthNames, NameBase: 1);
    public static readonly Field DayOfWeek = new("day-of-week", 0, 7, FieldKind.DayOfWeek, DayNames, NameBase: 0);

    /// <summary>Returns null when the field is acceptable, otherwise a message naming the field.</summary>
    public static string? Check(Field field, string text)
    {
        foreach (var item in text.ToUpperInvariant().Split(','))
        {
            var error = item.Length == 0 ? $"empty element in list '{text}'" : CheckItem(field, item);
            if (error is not null)
            {
                return $"field '{field.Name}': {error}";
            }
        }

        return null;
    }

    private static string? CheckItem(Field field, string item)
    {
        if (item[0] == 'H')
        {
            // Cronos' H needs a per-task seed; without one it throws at parse time, so it is not part of the dialect.
            return $"'H' (hashed jitter) is not supported in '{item}'";
        }

        var pos = 0;
        if (item[0] is '*' or '?')
        {
            pos = 1;
            return pos == item.Length ? null : CheckStepOrEnd(field, item, pos);
        }

        if (field.Kind == FieldKind.DayOfMonth && item[0] == 'L')
        {
            pos = 1;
            if (pos < item.Length && item[pos] == '-')
            {
                pos++;
                var offset = ReadNumber(item, ref pos);
                if (offset is null)
                {
                    return $"expected a number of days after 'L-' in '{item}'";
                }

                if (offset > 30)
                {
                    return $"offset {offset} in '{item}' is out of range 0-30";
                }
            }

            if (pos < item.Length && item[pos] == 'W')
            {
                pos++;
            }

            return pos == item.Length ? null : Unexpected(item, pos);
        }

        var error = ReadValue(field, item, ref pos, out _);
        if (error is not null || pos == item.Length)
        {
            return error;
        }

        switch (item[pos])
        {
            case 'W' when field.Kind == FieldKind.DayOfMonth:
            case 'L' when field.Kind == FieldKind.DayOfWeek:
                pos++;
                return pos == item.Length ? null : Unexpected(item, pos);
            case '#' when field.Kind == FieldKind.DayOfWeek:
                pos++;
                var nth = ReadNumber(item, ref pos);
                if (nth is null)
                {
                    return $"expected a number after '#' in '{item}'";
                }

                if (nth is < 1 or > 5)
                {
                    return $"'#{nth}' in '{item}' is out of range #1-#5";
                }

                return pos == item.Length ? null : Unexpected(item, pos);
            case '-':
                pos++;
                if (pos == item.Length)
                {
                    return $"range '{item}' has no end";
                }

                error = ReadValue(field, item, ref pos, out _);
                if (error is not null || pos == item.Length)
                {
                    return error;
                }

                return CheckStepOrEnd(field, item, pos);
            default:
                return CheckStepOrEnd(field, item, pos);
        }
    }

    private static string? CheckStepOrEnd(Field field, string item, int pos)
    {
        if (item[pos] != '/')
        {
            return Unexpected(item, pos);
        }

        pos++;
        var step = ReadNumber(item, ref pos);
        if (step is null)
        {
            return $"expected a number after '/' in '{item}'";
        }

        if (step < 1 || step > field.Max)
        {
            return $"step {step} in '{item}' is out of range 1-{field.Max}";
        }

        return pos == item.Length ? null : Unexpected(item, pos);
    }

    private static string? ReadValue(Field field, string item, ref int pos, out int value)
    {
        value = 0;
        if (char.IsAsciiDigit(item[pos]))
        {
            var start = pos;
            var number = ReadNumber(item, ref pos);
            if (number is null || number < field.Min || number > field.Max)
            {
                return $"value {item[start..pos]} is out of range {field.Min}-{field.Max}";
            }

            value = number.Value;
            return null;
        }

        if (char.IsAsciiLetter(item[pos]))
        {
            var start = pos;
            while (pos < item.Length && char.IsAsciiLetter(item[pos]))
            {
                pos++;
            }

            var word = item[start..pos];
            if (field.Names is null)
            {
                return $"'{word}' is not a number";
            }

            // Names are exactly three letters; a longer run is either a suffix (FRIL, i.e. last Friday)
            // or a full name such as MONDAY, which Cronos does not accept either.
            var name = word.Length >= 3 ? word[..3] : word;
            var index = Array.IndexOf(field.Names, name);
            if (index < 0)
            {
                return $"unknown name '{word}' (expected {field.Names[0]}-{field.Names[^1]} or {field.Min}-{field.Max})";
            }

            pos = start + 3;
            value = index + field.NameBase;
            return null;
        }

        return Unexpected(item, pos);
    }

    private static int? ReadNumber(string item, ref int pos)
    {
        var start = pos;
        while (pos < item.Length && char.IsAsciiDigit(item[pos]))
        {
            pos++;
        }

        if (pos == start)
        {
            return null;
        }

        // A run of digits too long for int is simply out of every range; report it as such.
        return int.TryParse(item.AsSpan(start, pos - start), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;
    }

    private static string Unexpected(string item, int pos) => $"unexpected '{item[pos..]}' in '{item}'";
}
