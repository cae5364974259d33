namespace GopherCron.Modules.Logs.Contracts;

/// <summary>
/// The durable record of runs. The scheduler claims fires here before dispatching them; agents' reports are
/// recorded here. Writes of progress (start, output, finish) are batched and retried, so they return before the
/// data is committed; claims and creations are committed when the call returns.
/// </summary>
public interface IRunLedger
{
    /// <summary>
    /// Inserts one row per claim in a single transaction. A claim whose (task, fire instant, slot) already exists is
    /// ignored, not an error: that fire was already claimed (by this or an earlier leader).
    /// </summary>
    /// <param name="claims">The fires to claim.</param>
    /// <param name="cancellationToken">Cancels the claim; nothing is written then.</param>
    /// <returns>The claims that were inserted by this call, with their run ids, in input order.</returns>
    Task<IReadOnlyList<ClaimedRun>> ClaimAsync(IReadOnlyList<RunClaim> claims, CancellationToken cancellationToken);

    /// <summary>How many runs of each task are pending or running, as stored (tasks with none are absent).</summary>
    /// <param name="taskIds">The tasks.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyDictionary<long, int>> CountActiveRunsAsync(IReadOnlyCollection<long> taskIds, CancellationToken cancellationToken);

    /// <summary>Records that a run started on an agent.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="agent">The agent's name.</param>
    /// <param name="startedAt">When its executor started.</param>
    void RecordStarted(long runId, string agent, DateTimeOffset startedAt);

    /// <summary>Appends a piece of output; it is stored capped and published to live followers.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="sequence">The agent's sequence number for the piece; duplicates are dropped.</param>
    /// <param name="text">The text.</param>
    void RecordOutput(long runId, long sequence, string text);

    /// <summary>Moves a run to a terminal state; a run already terminal is left as it is.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="status">A terminal status.</param>
    /// <param name="exitCode">The exit code, if any.</param>
    /// <param name="error">The reason, for anything but success.</param>
    /// <param name="finishedAt">When it ended.</param>
    void RecordFinished(long runId, RunStatus status, int? exitCode, string? error, DateTimeOffset finishedAt);

    /// <summary>Waits until every recorded progress write so far is committed (or the token fires).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    Task FlushAsync(CancellationToken cancellationToken);

    /// <summary>The latest claimed cron fire instant of every task that has one.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    Task<IReadOnlyDictionary<long, DateTimeOffset>> GetLastFireTimesAsync(CancellationToken cancellationToken);

    /// <summary>Every run that is pending or running, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    Task<IReadOnlyList<UnfinishedRun>> GetUnfinishedRunsAsync(CancellationToken cancellationToken);
}

/// <summary>A fire to record as a run.</summary>
public sealed record RunClaim
{
    /// <summary>The task's project.</summary>
    public required long ProjectId { get; init; }

    /// <summary>The task.</summary>
    public required long TaskId { get; init; }

    /// <summary>The cron fire instant this run is for; null for manual runs and retries, which are never deduplicated.</summary>
    public DateTimeOffset? FireAt { get; init; }

    /// <summary>Distinguishes the runs of one broadcast fire (one per agent); empty otherwise.</summary>
    public string Slot { get; init; } = "";

    /// <summary>What caused the run.</summary>
    public required RunTrigger Trigger { get; init; }

    /// <summary>1 for a first attempt.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The run this one retries.</summary>
    public long? ParentRunId { get; init; }

    /// <summary>When the run should start.</summary>
    public required DateTimeOffset ScheduledAt { get; init; }

    /// <summary>The leader's term that claimed it.</summary>
    public required long Term { get; init; }

    /// <summary><see cref="RunStatus.Pending"/>, or a terminal status for a fire recorded without running (skipped, failed).</summary>
    public RunStatus Status { get; init; } = RunStatus.Pending;

    /// <summary>The agent chosen for the run, if already known.</summary>
    public string? Agent { get; init; }

    /// <summary>
    /// The agent process it is handed to (its id changes when the agent restarts): a later leader may dispatch a
    /// pending run again only to that same process, once it says it never received it.
    /// </summary>
    public string? AgentId { get; init; }

    /// <summary>Why the run was skipped or failed without running.</summary>
    public string? Error { get; init; }

    /// <summary>When a terminal claim ended (its creation time).</summary>
    public DateTimeOffset? FinishedAt { get; init; }
}

/// <summary>A claim that was inserted.</summary>
/// <param name="RunId">The new run's id.</param>
/// <param name="Claim">The claim.</param>
public sealed record ClaimedRun(long RunId, RunClaim Claim);

/// <summary>A run that has not ended yet.</summary>
/// <param name="RunId">The run.</param>
/// <param name="ProjectId">Its project.</param>
/// <param name="TaskId">Its task.</param>
/// <param name="Status">Pending or running.</param>
/// <param name="Trigger">What caused it.</param>
/// <param name="Attempt">Its attempt number.</param>
/// <param name="ScheduledAt">When it should start or should have started.</param>
/// <param name="Agent">The agent it was handed to, if any.</param>
/// <param name="AgentId">The agent process it was claimed for (see <see cref="RunClaim.AgentId"/>).</param>
public sealed record UnfinishedRun(
    long RunId, long ProjectId, long TaskId, RunStatus Status, RunTrigger Trigger, int Attempt, DateTimeOffset ScheduledAt, string? Agent,
    string? AgentId = null);
