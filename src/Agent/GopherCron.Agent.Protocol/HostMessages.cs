namespace GopherCron.Agent.Protocol;

/// <summary>A message from a host replica to an agent.</summary>
public abstract record HostMessage;

/// <summary>Asks the agent to execute a run.</summary>
/// <param name="RunId">The run, already recorded by the host.</param>
/// <param name="Term">
/// The leader's term when it dispatched. An agent refuses a dispatch whose term is lower than the highest it has
/// seen, so a deposed leader cannot get a run executed.
/// </param>
/// <param name="Spec">What to run.</param>
public sealed record DispatchRun(long RunId, long Term, RunSpec Spec) : HostMessage;

/// <summary>Asks the agent to stop a run and everything it started.</summary>
/// <param name="RunId">The run to stop.</param>
/// <param name="Reason">Why, recorded as the run's error (for example "killed by admin").</param>
public sealed record KillRun(long RunId, string Reason) : HostMessage;

/// <summary>The task definition as it was when the run was dispatched.</summary>
public sealed record RunSpec
{
    /// <summary>The task.</summary>
    public required long TaskId { get; init; }

    /// <summary>The task's project.</summary>
    public required long ProjectId { get; init; }

    /// <summary>The task's name.</summary>
    public required string TaskName { get; init; }

    /// <summary>The executor kind (for example <c>shell</c>).</summary>
    public required string Executor { get; init; }

    /// <summary>The executor configuration as a JSON object.</summary>
    public required string ConfigurationJson { get; init; }

    /// <summary>How long the run may take before it is stopped and recorded as timed out.</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary>The instant the run was scheduled for.</summary>
    public required DateTimeOffset ScheduledAt { get; init; }

    /// <summary>1 for the first attempt, 2 for the first retry, and so on.</summary>
    public required int Attempt { get; init; }
}
