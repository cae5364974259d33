using System.Diagnostics.CodeAnalysis;

namespace GopherCron.Modules.Tasks.Domain.Cron;

internal static class TimeZones
{
    /// <summary>
    /// Finds a zone by IANA id ("Europe/Berlin") or "UTC". Windows ids and "Local" are refused even where the
    /// runtime could resolve them: a task's zone is stored and read by every replica and agent, so it must name
    /// the same rules on every machine, which only an IANA id does.
    /// </summary>
    public static bool TryFind(string? ianaId, [NotNullWhen(true)] out TimeZoneInfo? zone, [NotNullWhen(false)] out string? error)
    {
        zone = null;
        var id = ianaId?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            error = "time zone is empty";
            return false;
        }

        if (string.Equals(id, "UTC", StringComparison.Ordinal))
        {
            zone = TimeZoneInfo.Utc;
            error = null;
            return true;
        }

        if (string.Equals(id, "Local", StringComparison.OrdinalIgnoreCase))
        {
            error = "time zone 'Local' is not supported: name the zone with its IANA id, e.g. 'Europe/Berlin'";
            return false;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found) && found.HasIanaId)
        {
            zone = found;
            error = null;
            return true;
        }

        error = TimeZoneInfo.TryConvertWindowsIdToIanaId(id, out var iana)
            ? $"'{id}' is a Windows time zone id; use the IANA id '{iana}'"
            : $"unknown time zone '{id}': use an IANA id such as 'Europe/Berlin' or 'UTC'";
        return false;
    }
}
