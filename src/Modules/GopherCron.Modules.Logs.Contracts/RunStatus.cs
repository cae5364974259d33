namespace GopherCron.Modules.Logs.Contracts;

/// <summary>Where a run is in its life. Every run ends in one of the terminal states.</summary>
public enum RunStatus
{
    /// <summary>Recorded and handed (or about to be handed) to an agent.</summary>
    Pending,

    /// <summary>The agent's executor has started it.</summary>
    Running,

    /// <summary>Ended with exit code 0.</summary>
    Succeeded,

    /// <summary>Ended with a non-zero exit code, an executor error, or could not be started (for example no agent online).</summary>
    Failed,

    /// <summary>Stopped because it exceeded the task's timeout.</summary>
    TimedOut,

    /// <summary>Stopped by a kill request (a user, a replace overlap policy, or a shutdown).</summary>
    Killed,

    /// <summary>Not run, by policy (for example overlap: forbid while the previous run was still running).</summary>
    Skipped,

    /// <summary>Its agent vanished, or the scheduler restarted and no agent holds the run any more.</summary>
    Lost,
}

/// <summary>What caused a run.</summary>
public enum RunTrigger
{
    /// <summary>A cron fire.</summary>
    Cron,

    /// <summary>"Run now" from the API or UI.</summary>
    Manual,

    /// <summary>A retry of a failed run, per the task's retry policy.</summary>
    Retry,

    /// <summary>A fire that was missed (the scheduler was down or late) and run per the task's misfire policy.</summary>
    Misfire,
}

/// <summary>Helpers for run states.</summary>
public static class RunStatusExtensions
{
    /// <summary>True for the states a run never leaves.</summary>
    /// <param name="status">The status.</param>
    public static bool IsTerminal(this RunStatus status) => status is not (RunStatus.Pending or RunStatus.Running);

    /// <summary>The camelCase name used in the API and in storage.</summary>
    /// <param name="status">The status.</param>
    public static string ToWire(this RunStatus status) => status switch
    {
        RunStatus.TimedOut => "timedOut",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>The camelCase name used in the API and in storage.</summary>
    /// <param name="trigger">The trigger.</param>
    public static string ToWire(this RunTrigger trigger) => trigger.ToString().ToLowerInvariant();

    /// <summary>Parses a stored or requested status; false for unknown names.</summary>
    /// <param name="value">The wire name.</param>
    /// <param name="status">The status.</param>
    public static bool TryParseStatus(string? value, out RunStatus status) =>
        Enum.TryParse(value, ignoreCase: true, out status) && Enum.IsDefined(status) && !int.TryParse(value, out _);
}
