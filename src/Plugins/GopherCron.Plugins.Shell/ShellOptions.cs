using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace GopherCron.Plugins.Shell;

/// <summary>Agent-wide settings of the shell executor (the <c>Plugins:shell</c> configuration section).</summary>
internal sealed record ShellOptions
{
    public string DefaultShell { get; init; } = "/bin/sh";

    /// <summary>Time between SIGTERM and SIGKILL when a run's process group is stopped.</summary>
    public TimeSpan KillGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long to keep reading output once the process group is gone, while nothing arrives. Only a process that
    /// escaped the group (its own setsid) can keep the pipe open that long; it must not hold the run hostage.
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(2);

    // Bound by hand: the binder package would become a private dependency of every plugin folder for two settings.
    public static ShellOptions From(IConfiguration configuration)
    {
        var options = new ShellOptions();
        if (configuration["DefaultShell"] is { Length: > 0 } shell)
        {
            if (!Path.IsPathFullyQualified(shell))
            {
                throw new InvalidOperationException($"Plugins:shell:DefaultShell must be an absolute path, not '{shell}'.");
            }

            options = options with { DefaultShell = shell };
        }

        if (configuration["KillGracePeriod"] is { Length: > 0 } grace)
        {
            options = options with { KillGracePeriod = ParseDuration(grace, "KillGracePeriod") };
        }

        if (configuration["DrainTimeout"] is { Length: > 0 } drain)
        {
            options = options with { DrainTimeout = ParseDuration(drain, "DrainTimeout") };
        }

        return options;
    }

    private static TimeSpan ParseDuration(string text, string key)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero)
        {
            return span;
        }

        throw new InvalidOperationException(
            $"Plugins:shell:{key} must be a non-negative TimeSpan (00:00:05) or a number of seconds, not '{text}'.");
    }
}
