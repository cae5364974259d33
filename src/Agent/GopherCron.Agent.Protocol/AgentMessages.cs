namespace GopherCron.Agent.Protocol;

/// <summary>A message from an agent to the host about one run.</summary>
/// <param name="RunId">The run the message is about.</param>
public abstract record AgentMessage(long RunId);

/// <summary>The executor has started the run.</summary>
/// <param name="RunId">The run.</param>
/// <param name="StartedAt">When the executor started; lateness is measured from the scheduled instant to this.</param>
public sealed record RunStarted(long RunId, DateTimeOffset StartedAt) : AgentMessage(RunId);

/// <summary>A piece of a run's output, in order.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Sequence">1, 2, 3... per run; lets receivers drop duplicates after a reconnect.</param>
/// <param name="Text">The output text.</param>
public sealed record RunOutput(long RunId, long Sequence, string Text) : AgentMessage(RunId);

/// <summary>The run has ended.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="ExitCode">The executor's exit code, when it produced one.</param>
/// <param name="Error">Why it failed, was killed or was rejected; null on success.</param>
/// <param name="FinishedAt">When it ended.</param>
public sealed record RunFinished(long RunId, RunOutcome Outcome, int? ExitCode, string? Error, DateTimeOffset FinishedAt)
    : AgentMessage(RunId);

/// <summary>How a run ended on the agent.</summary>
public enum RunOutcome
{
    /// <summary>The executor reported exit code 0.</summary>
    Succeeded,

    /// <summary>The executor reported a non-zero exit code or threw.</summary>
    Failed,

    /// <summary>The run exceeded its timeout and was stopped.</summary>
    TimedOut,

    /// <summary>The run was stopped by a kill request.</summary>
    Killed,

    /// <summary>
    /// The agent refused the dispatch without starting anything: a stale term, an unknown executor,
    /// a run it already holds, or an agent that is shutting down.
    /// </summary>
    Rejected,
}

/// <summary>The agent's way to send messages to the host it is connected to.</summary>
public interface IHostLink
{
    /// <summary>Sends a message; delivery order per run is preserved.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    ValueTask SendAsync(AgentMessage message, CancellationToken cancellationToken);
}
