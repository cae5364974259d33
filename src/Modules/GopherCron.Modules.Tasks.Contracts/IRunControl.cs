namespace GopherCron.Modules.Tasks.Contracts;

/// <summary>Controls runs that are in progress.</summary>
public interface IRunControl
{
    /// <summary>Asks the agent holding the run to stop it and its whole process tree.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="reason">Recorded as the run's error, for example "killed by admin".</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>What happened.</returns>
    Task<KillOutcome> KillAsync(long runId, string reason, CancellationToken cancellationToken);
}

/// <summary>The answer to a kill request.</summary>
public enum KillOutcome
{
    /// <summary>The agent was told; the run will end as killed shortly.</summary>
    Requested,

    /// <summary>The run had not reached an agent yet and was ended as killed at once.</summary>
    KilledBeforeStart,

    /// <summary>The run is not in progress on this scheduler (already finished, or unknown).</summary>
    NotRunning,
}
