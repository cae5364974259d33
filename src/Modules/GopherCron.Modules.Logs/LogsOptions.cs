using System.ComponentModel.DataAnnotations;

namespace GopherCron.Modules.Logs;

public sealed class LogsOptions
{
    public const string Section = "Logs";

    /// <summary>Runs older than this many days are purged with their output.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 7;

    /// <summary>How often the purge runs.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00")]
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Output kept per run: the first half and the last half of this many bytes; the middle is elided.</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long OutputCapBytes { get; set; } = 1024 * 1024;
}
