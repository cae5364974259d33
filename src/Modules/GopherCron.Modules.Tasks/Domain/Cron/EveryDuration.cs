using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace GopherCron.Modules.Tasks.Domain.Cron;

/// <summary>
/// Parses the duration of <c>@every &lt;duration&gt;</c> the way Go's time.ParseDuration reads it (a sequence
/// of decimal numbers with units, "1h30m", "1.5s"), restricted to ms, s, m, h plus d for days: sub-millisecond
/// periods are not schedulable and the fire identity (task, instant) is stored with millisecond precision.
/// </summary>
internal static class EveryDuration
{
    private const string Units = "ms, s, m, h or d";

    public static bool TryParse(string text, out TimeSpan duration, [NotNullWhen(false)] out string? error)
    {
        duration = default;
        if (text.StartsWith('-'))
        {
            error = $"@every duration must be greater than zero, got '{text}'";
            return false;
        }

        decimal totalMs = 0;
        var pos = 0;
        while (pos < text.Length)
        {
            var start = pos;
            while (pos < text.Length && (char.IsAsciiDigit(text[pos]) || text[pos] == '.'))
            {
                pos++;
            }

            if (!decimal.TryParse(text.AsSpan(start, pos - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                error = $"invalid @every duration '{text}': expected a number followed by a unit ({Units}), e.g. '90s' or '1h30m'";
                return false;
            }

            var unitStart = pos;
            while (pos < text.Length && !char.IsAsciiDigit(text[pos]) && text[pos] != '.')
            {
                pos++;
            }

            var unit = text[unitStart..pos];
            decimal? unitMs = unit switch
            {
                "ms" => 1m,
                "s" => 1_000m,
                "m" => 60_000m,
                "h" => 3_600_000m,
                "d" => 86_400_000m,
                _ => null,
            };
            if (unitMs is null)
            {
                error = unit.Length == 0
                    ? $"invalid @every duration '{text}': missing unit after '{text[start..pos]}' (use {Units})"
                    : $"invalid @every duration '{text}': unknown unit '{unit}' (use {Units})";
                return false;
            }

            try
            {
                totalMs += amount * unitMs.Value;
            }
            catch (OverflowException)
            {
                totalMs = decimal.MaxValue;
            }
        }

        if (totalMs <= 0)
        {
            error = $"@every duration must be greater than zero, got '{text}'";
            return false;
        }

        if (totalMs != decimal.Truncate(totalMs))
        {
            error = $"@every duration '{text}' is not a whole number of milliseconds";
            return false;
        }

        if (totalMs > (decimal)TimeSpan.MaxValue.TotalMilliseconds - 1)
        {
            error = $"@every duration '{text}' is too long";
            return false;
        }

        duration = TimeSpan.FromMilliseconds((long)totalMs);
        error = null;
        return true;
    }
}
