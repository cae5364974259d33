using System.Diagnostics.Metrics;
using GopherCron.Agent.Protocol;
using GopherCron.Modules.Logs.Contracts;
using GopherCron.Modules.Shared.Cluster;
using GopherCron.Modules.Tasks.Contracts;
using GopherCron.Modules.Tasks.Domain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GopherCron.Modules.Tasks.Dispatching;

/// <summary>One fire to turn into runs.</summary>
/// <param name="Task">The task.</param>
/// <param name="At">The fire instant (for manual runs, the request time).</param>
/// <param name="Trigger">Cron, misfire catch-up or manual.</param>
/// <param name="SkipReason">When set, the fire is recorded as skipped with this reason and nothing runs.</param>
internal sealed record Fire(CronTask Task, DateTimeOffset At, RunTrigger Trigger, string? SkipReason = null);

/// <summary>
/// Turns fires into runs and runs into agent work: claims each fire (the run row exists before any dispatch), applies
/// the overlap policy, picks agents, dispatches under the leader's term, records what agents report, retries per
/// policy, and kills on request. Active only while this replica leads; reports are recorded in any case.
/// </summary>
/// <remarks>
/// A remote agent's stream may drop while its runs go on. Its runs are then detached, not lost: they stay active (the
/// overlap policy still sees them) until an agent of the same name reconnects holding them, or until
/// <see cref="TasksOptions.AgentLostAfter"/> passes and they are recorded lost. A kill of a detached run is kept and
/// delivered on reconnect: the process still runs on the agent, so recording it killed at once would be a lie.
/// </remarks>
internal sealed partial class Dispatcher(
    AgentRegistry registry,
    IRunLedger ledger,
    IOptions<TasksOptions> options,
    TimeProvider clock,
    IMeterFactory meters,
    ILogger<Dispatcher> logger) : IAgentGateway, IRunControl
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, ActiveRun> _active = [];
    private readonly Dictionary<long, HashSet<long>> _activeByTask = [];
    private readonly Dictionary<long, CancellationTokenSource> _waitingRetries = [];

    // Runs ended here lately, so that a take-over does not adopt a run whose result raced ahead of the store.
    private readonly HashSet<long> _recentlyEnded = [];
    private readonly Queue<long> _recentlyEndedOrder = new();
    private readonly Histogram<double> _lateness = meters.Create("GopherCron.Scheduler")
        .CreateHistogram<double>("gophercron.fire.lateness", "ms", "Time from a cron fire's scheduled instant to its executor's start.");
    private LeadershipLease? _lease;

    /// <summary>The term this replica leads in, or null when it does not lead.</summary>
    public long? CurrentTerm
    {
        get
        {
            var lease = _lease;
            return lease is { Token.IsCancellationRequested: false } ? lease.Term : null;
        }
    }

    public void BeginTerm(LeadershipLease lease) => _lease = lease;

    public void EndTerm()
    {
        _lease = null;
        lock (_gate)
        {
            // Their rows stay pending; the next leader resumes or settles them at take-over.
            foreach (var wait in _waitingRetries.Values)
            {
                wait.Cancel();
            }

            _waitingRetries.Clear();
        }
    }

    public bool Holds(long runId)
    {
        lock (_gate)
        {
            return _active.ContainsKey(runId) || _waitingRetries.ContainsKey(runId);
        }
    }

    public IReadOnlyCollection<long> ActiveRunsOf(long taskId)
    {
        lock (_gate)
        {
            return _activeByTask.TryGetValue(taskId, out var runs) ? runs.ToList() : [];
        }
    }

    /// <summary>
    /// Runs in progress per task: first-hand while this replica leads; otherwise as the leader recorded them in the
    /// store (a follower's dispatcher holds no runs).
    /// </summary>
    public async Task<Func<long, int>> ActiveRunCountsAsync(IReadOnlyCollection<long> taskIds, CancellationToken cancellationToken)
    {
        if (CurrentTerm is not null)
        {
            return taskId => ActiveRunsOf(taskId).Count;
        }

        var stored = await ledger.CountActiveRunsAsync(taskIds, cancellationToken);
        return taskId => stored.GetValueOrDefault(taskId);
    }

    /// <summary>Claims and dispatches the fires in one batch; returns the runs this call created.</summary>
    public async Task<IReadOnlyList<ClaimedRun>> FireAsync(IReadOnlyList<Fire> fires, long term, CancellationToken cancellationToken)
    {
        var planned = new Dictionary<RunClaim, (CronTask Task, AgentConnection? Agent)>(ReferenceEqualityComparer.Instance);
        var replace = new List<(CronTask Task, IReadOnlyCollection<long> Runs, DateTimeOffset At)>();
        var claims = new List<RunClaim>(fires.Count);
        var now = clock.GetUtcNow();
        foreach (var fire in fires)
        {
            var task = fire.Task;
            var manual = fire.Trigger == RunTrigger.Manual;
            var baseClaim = new RunClaim
            {
                ProjectId = task.ProjectId,
                TaskId = task.Id,
                FireAt = manual ? null : fire.At,
                Slot = manual ? "m:" + Guid.NewGuid().ToString("N") : "",
                Trigger = fire.Trigger,
                ScheduledAt = fire.At,
                Term = term,
            };

            string? terminalReason = fire.SkipReason;
            var status = RunStatus.Skipped;
            var active = manual ? [] : ActiveRunsOf(task.Id);
            if (terminalReason is null && active.Count > 0 && task.Overlap == OverlapPolicy.Forbid)
            {
                terminalReason = $"run {active.Min()} of this task is still running (overlap: forbid)";
            }

            var agents = registry.EligibleFor(task);
            if (terminalReason is null && agents.Count == 0)
            {
                terminalReason = $"no agent online that offers the '{task.Executor}' executor for this project";
                status = RunStatus.Failed;
            }

            if (terminalReason is not null)
            {
                var claim = baseClaim with { Status = status, Error = terminalReason, FinishedAt = now };
                planned[claim] = (task, null);
                claims.Add(claim);
                continue;
            }

            if (active.Count > 0 && task.Overlap == OverlapPolicy.Replace)
            {
                replace.Add((task, active, fire.At));
            }

            foreach (var agent in task.Parallel ? agents : [AgentRegistry.Choose(agents)])
            {
                var claim = task.Parallel
                    ? baseClaim with { Slot = baseClaim.Slot + "agent:" + agent.Name, Agent = agent.Name, AgentId = agent.Id }
                    : baseClaim with { Agent = agent.Name, AgentId = agent.Id };
                planned[claim] = (task, agent);
                claims.Add(claim);
            }
        }

        var claimed = await ledger.ClaimAsync(claims, cancellationToken);
        var claimedTasks = claimed.Select(c => c.Claim.TaskId).ToHashSet();
        foreach (var (task, runs, at) in replace.Where(r => claimedTasks.Contains(r.Task.Id)))
        {
            foreach (var runId in runs)
            {
                await KillAsync(runId, $"replaced by the fire of {at:O} (overlap: replace)", cancellationToken);
            }
        }

        foreach (var run in claimed)
        {
            var (task, agent) = planned[run.Claim];
            if (agent is not null)
            {
                await DispatchAsync(run.RunId, run.Claim, task, agent, term, cancellationToken);
            }
        }

        return claimed;
    }

    private async Task DispatchAsync(long runId, RunClaim claim, CronTask task, AgentConnection agent, long term, CancellationToken cancellationToken)
    {
        var active = new ActiveRun(runId, task, agent, claim.ScheduledAt, claim.Attempt, claim.Trigger);
        lock (_gate)
        {
            Track(active);
        }

        await SendDispatchAsync(active, agent, term, cancellationToken);
    }

    /// <summary>Sends a tracked run to its agent; a run the agent cannot be reached for fails at once.</summary>
    private async Task SendDispatchAsync(ActiveRun run, AgentConnection agent, long term, CancellationToken cancellationToken)
    {
        var spec = new RunSpec
        {
            TaskId = run.Task.Id,
            ProjectId = run.Task.ProjectId,
            TaskName = run.Task.Name,
            Executor = run.Task.Executor,
            ConfigurationJson = run.Task.ConfigJson,
            Timeout = run.Task.Timeout,
            ScheduledAt = run.ScheduledAt,
            Attempt = run.Attempt,
        };
        try
        {
            await agent.SendAsync(new DispatchRun(run.RunId, term, spec), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogDispatchFailed(e, run.RunId, agent.Name);
            End(run.RunId, RunStatus.Failed, null, $"could not reach agent {agent.Name}: {e.Message}", clock.GetUtcNow());
        }
    }

    public IAgentSession Connect(AgentDescriptor agent, Func<HostMessage, CancellationToken, ValueTask> sendToAgent)
    {
        var connection = new AgentConnection(agent, sendToAgent, clock.GetUtcNow());
        var attached = new List<ActiveRun>();
        var gone = new List<ActiveRun>();
        var resend = new List<ActiveRun>();
        lock (_gate)
        {
            // Runs this agent's name was running before: a reconnect takes back what it still holds.
            foreach (var run in _active.Values.Where(r => r.Agent.Name == agent.Name && !ReferenceEquals(r.Agent, connection)))
            {
                if (connection.HeldAtConnect(run.RunId))
                {
                    run.Agent = connection;
                    attached.Add(run);
                }
                else if (run.NeverReceivedBy(agent.Id))
                {
                    run.Agent = connection;
                    resend.Add(run);
                }
                else if (!run.Agent.IsConnected)
                {
                    gone.Add(run);
                }
            }
        }

        registry.Add(connection);
        LogAgentConnected(agent.Name, agent.Id, string.Join(",", agent.Executors), attached.Count);
        foreach (var run in gone)
        {
            End(run.RunId, RunStatus.Lost, null, run.Adopted
                ? $"no agent holds this run after the scheduler restarted or changed leader: agent {agent.Name} connected without it"
                : $"agent {agent.Name} restarted and no longer holds the run", clock.GetUtcNow());
        }

        foreach (var run in attached.Where(r => r.PendingKill is not null))
        {
            _ = DeliverPendingKillAsync(run, connection);
        }

        foreach (var run in resend)
        {
            _ = ResendAsync(run, connection);
        }

        return new Session(this, connection);
    }

    private async Task DeliverPendingKillAsync(ActiveRun run, AgentConnection agent)
    {
        try
        {
            await agent.SendAsync(new KillRun(run.RunId, run.PendingKill!), CancellationToken.None);
        }
        catch (Exception e)
        {
            // Still pending: the next reconnect delivers it, or the run is recorded lost.
            LogKillFailed(e, run.RunId, agent.Name);
        }
    }

    /// <summary>
    /// Takes over runs a previous leader (or this replica before a restart) handed to agents: attached to their agent
    /// when it is connected and holds them, otherwise waiting <see cref="TasksOptions.AgentLostAfter"/> for it.
    /// </summary>
    /// <returns>How many were recorded lost at once.</returns>
    public int Adopt(IReadOnlyList<(UnfinishedRun Run, CronTask Task)> runs)
    {
        var now = clock.GetUtcNow();
        var absent = new Dictionary<string, AgentConnection>(StringComparer.Ordinal);
        var lost = new List<(long RunId, string Agent)>();
        var resend = new List<(ActiveRun Run, AgentConnection Agent)>();
        lock (_gate)
        {
            foreach (var (run, task) in runs)
            {
                if (_active.ContainsKey(run.RunId) || _recentlyEnded.Contains(run.RunId) || run.Agent is not { } name)
                {
                    continue;
                }

                // A run still pending was claimed but maybe never sent (the previous leader died in between). The very
                // agent process it was meant for says whether it has it: if it does not, it never received it, and it
                // is sent now, once; any other agent's silence proves nothing, so the run is lost.
                var unsent = run.Status == RunStatus.Pending ? run.AgentId : null;
                var agent = registry.Named(name);
                if (agent is not null && !agent.HeldAtConnect(run.RunId))
                {
                    if (unsent is not null && unsent == agent.Id)
                    {
                        var adopted = new ActiveRun(run.RunId, task, agent, run.ScheduledAt, run.Attempt, run.Trigger) { Adopted = true };
                        Track(adopted);
                        resend.Add((adopted, agent));
                        continue;
                    }

                    lost.Add((run.RunId, name));
                    continue;
                }

                if (agent is null && !absent.TryGetValue(name, out agent))
                {
                    absent[name] = agent = AgentConnection.Absent(name, now);
                }

                Track(new ActiveRun(run.RunId, task, agent, run.ScheduledAt, run.Attempt, run.Trigger) { Adopted = true, UnsentTo = unsent });
            }
        }

        foreach (var (runId, name) in lost)
        {
            End(runId, RunStatus.Lost, null,
                $"no agent holds this run after the scheduler restarted or changed leader: agent {name} connected without it", now);
        }

        foreach (var agent in absent.Values)
        {
            _ = LoseDetachedAfterAsync(agent);
        }

        foreach (var (run, agent) in resend)
        {
            _ = ResendAsync(run, agent);
        }

        return lost.Count;
    }

    /// <summary>Sends a run its agent process never received, in the current term (see <see cref="Adopt"/>).</summary>
    private async Task ResendAsync(ActiveRun run, AgentConnection agent)
    {
        if (_lease is not { Token.IsCancellationRequested: false } lease)
        {
            return;
        }

        LogResending(run.RunId, agent.Name);
        await SendDispatchAsync(run, agent, lease.Term, lease.Token);
    }

    // Caller holds _gate.
    private void Track(ActiveRun run)
    {
        _active[run.RunId] = run;
        if (!_activeByTask.TryGetValue(run.Task.Id, out var runs))
        {
            _activeByTask[run.Task.Id] = runs = [];
        }

        runs.Add(run.RunId);
    }

    private ValueTask ReceiveAsync(AgentConnection agent, AgentMessage message)
    {
        agent.LastSeenAt = clock.GetUtcNow();
        switch (message)
        {
            case RunStarted started:
                ledger.RecordStarted(started.RunId, agent.Name, started.StartedAt);
                ActiveRun? run;
                lock (_gate)
                {
                    _active.TryGetValue(started.RunId, out run);
                }

                if (run is { Trigger: RunTrigger.Cron or RunTrigger.Misfire })
                {
                    _lateness.Record((started.StartedAt - run.ScheduledAt).TotalMilliseconds,
                        new KeyValuePair<string, object?>("trigger", run.Trigger.ToWire()));
                }

                break;
            case RunOutput output:
                ledger.RecordOutput(output.RunId, output.Sequence, output.Text);
                break;
            case RunFinished finished:
                var status = finished.Outcome switch
                {
                    RunOutcome.Succeeded => RunStatus.Succeeded,
                    RunOutcome.TimedOut => RunStatus.TimedOut,
                    RunOutcome.Killed => RunStatus.Killed,
                    _ => RunStatus.Failed,
                };
                var error = finished.Outcome == RunOutcome.Rejected ? $"rejected by agent {agent.Name}: {finished.Error}" : finished.Error;
                End(finished.RunId, status, finished.ExitCode, error, finished.FinishedAt, retryable: finished.Outcome is RunOutcome.Failed or RunOutcome.TimedOut);
                break;
        }

        return ValueTask.CompletedTask;
    }

    private void End(long runId, RunStatus status, int? exitCode, string? error, DateTimeOffset at, bool retryable = false)
    {
        ActiveRun? run;
        lock (_gate)
        {
            if (_active.Remove(runId, out run) && _activeByTask.TryGetValue(run.Task.Id, out var runs))
            {
                runs.Remove(runId);
                if (runs.Count == 0)
                {
                    _activeByTask.Remove(run.Task.Id);
                }
            }

            if (_recentlyEnded.Add(runId))
            {
                _recentlyEndedOrder.Enqueue(runId);
                if (_recentlyEndedOrder.Count > 10_000)
                {
                    _recentlyEnded.Remove(_recentlyEndedOrder.Dequeue());
                }
            }
        }

        ledger.RecordFinished(runId, status, exitCode, error, at);
        if (retryable && run is not null && run.Attempt <= run.Task.RetryAttempts && _lease is { Token.IsCancellationRequested: false } lease)
        {
            _ = RetryAsync(run, lease);
        }
    }

    private async Task RetryAsync(ActiveRun failed, LeadershipLease lease)
    {
        try
        {
            var claim = new RunClaim
            {
                ProjectId = failed.Task.ProjectId,
                TaskId = failed.Task.Id,
                Slot = "r:" + failed.RunId,
                Trigger = RunTrigger.Retry,
                Attempt = failed.Attempt + 1,
                ParentRunId = failed.RunId,
                ScheduledAt = clock.GetUtcNow() + failed.Task.RetryBackoff,
                Term = lease.Term,
            };
            var claimed = await ledger.ClaimAsync([claim], lease.Token);
            if (claimed.Count == 1)
            {
                LogRetryScheduled(failed.RunId, claimed[0].RunId, claim.Attempt, claim.ScheduledAt);
                await DispatchWhenDueAsync(claimed[0].RunId, claim, failed.Task, lease);
            }
        }
        catch (OperationCanceledException) when (lease.Token.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogRetryFailed(e, failed.RunId);
        }
    }

    /// <summary>Resumes a retry that a previous leader recorded but had not dispatched yet.</summary>
    public void ResumeRetry(UnfinishedRun run, CronTask task, LeadershipLease lease)
    {
        var claim = new RunClaim
        {
            ProjectId = run.ProjectId,
            TaskId = run.TaskId,
            Trigger = RunTrigger.Retry,
            Attempt = run.Attempt,
            ScheduledAt = run.ScheduledAt,
            Term = lease.Term,
        };
        _ = DispatchWhenDueAsync(run.RunId, claim, task, lease);
    }

    private async Task DispatchWhenDueAsync(long runId, RunClaim claim, CronTask task, LeadershipLease lease)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(lease.Token);
        lock (_gate)
        {
            _waitingRetries[runId] = wait;
        }

        try
        {
            var delay = claim.ScheduledAt - clock.GetUtcNow();
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, clock, wait.Token);
            }

            lock (_gate)
            {
                if (!_waitingRetries.Remove(runId))
                {
                    return; // killed while waiting
                }
            }

            var agents = registry.EligibleFor(task);
            if (agents.Count == 0)
            {
                End(runId, RunStatus.Failed, null, $"no agent online that offers the '{task.Executor}' executor for this project", clock.GetUtcNow());
                return;
            }

            await DispatchAsync(runId, claim, task, AgentRegistry.Choose(agents), lease.Term, lease.Token);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                _waitingRetries.Remove(runId);
            }
        }
    }

    public async Task<KillOutcome> KillAsync(long runId, string reason, CancellationToken cancellationToken)
    {
        ActiveRun? run;
        CancellationTokenSource? waiting;
        lock (_gate)
        {
            _active.TryGetValue(runId, out run);
            _waitingRetries.Remove(runId, out waiting);
        }

        if (waiting is not null)
        {
            await waiting.CancelAsync();
            End(runId, RunStatus.Killed, null, reason, clock.GetUtcNow());
            return KillOutcome.KilledBeforeStart;
        }

        if (run is null)
        {
            return KillOutcome.NotRunning;
        }

        var agent = run.Agent;
        if (agent.IsRemote || !agent.IsConnected)
        {
            // Kept until the agent has it: delivered on reconnect if the stream is down now or drops before it arrives.
            run.PendingKill ??= reason;
        }

        if (!agent.IsConnected)
        {
            LogKillDeferred(runId, agent.Name);
            return KillOutcome.Requested;
        }

        try
        {
            await agent.SendAsync(new KillRun(runId, reason), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogKillFailed(e, runId, agent.Name);
            if (!agent.IsRemote)
            {
                End(runId, RunStatus.Lost, null, $"agent {agent.Name} could not be reached to kill the run: {e.Message}", clock.GetUtcNow());
            }
        }

        return KillOutcome.Requested;
    }

    private void Disconnected(AgentConnection agent)
    {
        agent.MarkDisconnected();
        registry.Remove(agent);
        List<long> orphaned;
        lock (_gate)
        {
            orphaned = _active.Values.Where(r => ReferenceEquals(r.Agent, agent)).Select(r => r.RunId).ToList();
        }

        if (agent.IsRemote)
        {
            LogAgentDetached(agent.Name, agent.Id, orphaned.Count, options.Value.AgentLostAfter.TotalSeconds);
            if (orphaned.Count > 0)
            {
                _ = LoseDetachedAfterAsync(agent);
            }

            return;
        }

        // An in-process agent disconnects only when the host stops: its runs are gone with it.
        foreach (var runId in orphaned)
        {
            End(runId, RunStatus.Lost, null, $"agent {agent.Name} disconnected while the run was in progress", clock.GetUtcNow());
        }

        LogAgentDisconnected(agent.Name, agent.Id, orphaned.Count);
    }

    /// <summary>
    /// The agent's etcd lease expired (it died) or it withdrew its record: runs still detached from it are lost now,
    /// without waiting for <see cref="TasksOptions.AgentLostAfter"/>. An agent still connected to this replica is not
    /// touched (its stream is the stronger sign of life).
    /// </summary>
    public void AgentVanished(string agentId, string agentName)
    {
        if (registry.All.Any(a => a.Id == agentId))
        {
            return;
        }

        List<ActiveRun> lost;
        lock (_gate)
        {
            lost = _active.Values.Where(r => r.Agent.Id == agentId).ToList();
        }

        foreach (var run in lost)
        {
            var reason = $"agent {agentName} died: its registration in etcd expired";
            End(run.RunId, RunStatus.Lost, null, run.PendingKill is null ? reason : reason + " (a kill was pending)", clock.GetUtcNow());
        }
    }

    private async Task LoseDetachedAfterAsync(AgentConnection agent)
    {
        var after = options.Value.AgentLostAfter;
        try
        {
            await Task.Delay(after, clock);
            List<ActiveRun> lost;
            lock (_gate)
            {
                // Runs re-attached to a new connection of the agent no longer point at this one.
                lost = _active.Values.Where(r => ReferenceEquals(r.Agent, agent)).ToList();
            }

            var seconds = after.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            foreach (var run in lost)
            {
                var reason = run.Adopted
                    ? $"no agent holds this run after the scheduler restarted or changed leader: agent {agent.Name} did not connect within {seconds} s"
                    : $"agent {agent.Name} disconnected and did not come back within {seconds} s";
                End(run.RunId, RunStatus.Lost, null, run.PendingKill is null ? reason : reason + " (a kill was pending)", clock.GetUtcNow());
            }
        }
        catch (Exception e)
        {
            LogDetachedSweepFailed(e, agent.Name);
        }
    }

    private sealed class Session(Dispatcher dispatcher, AgentConnection agent) : IAgentSession
    {
        private int _disposed;

        public ValueTask ReceiveAsync(AgentMessage message, CancellationToken cancellationToken) =>
            dispatcher.ReceiveAsync(agent, message);

        public void UpdateExecutors(IReadOnlyCollection<string> executors)
        {
            agent.Descriptor = agent.Descriptor with { Executors = [.. executors] };
            dispatcher.LogExecutorsChanged(agent.Name, string.Join(",", executors));
        }

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                dispatcher.Disconnected(agent);
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class ActiveRun(long runId, CronTask task, AgentConnection agent, DateTimeOffset scheduledAt, int attempt, RunTrigger trigger)
    {
        private volatile AgentConnection _agent = agent;
        private volatile string? _pendingKill;

        public long RunId { get; } = runId;

        public CronTask Task { get; } = task;

        /// <summary>The connection the run is on; replaced when its agent reconnects.</summary>
        public AgentConnection Agent
        {
            get => _agent;
            set => _agent = value;
        }

        public DateTimeOffset ScheduledAt { get; } = scheduledAt;

        public int Attempt { get; } = attempt;

        public RunTrigger Trigger { get; } = trigger;

        /// <summary>Taken over at the start of a term rather than dispatched in it.</summary>
        public bool Adopted { get; init; }

        /// <summary>For a run adopted while still pending: the agent process it was claimed for (it may never have been sent).</summary>
        public string? UnsentTo { get; init; }

        /// <summary>True when <paramref name="agentId"/>, connecting without this run, is the process it was claimed for.</summary>
        public bool NeverReceivedBy(string agentId) => Adopted && UnsentTo is not null && UnsentTo == agentId;

        /// <summary>A kill the agent may not have received yet (its stream was down).</summary>
        public string? PendingKill
        {
            get => _pendingKill;
            set => _pendingKill = value;
        }
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Dispatching run {RunId} to agent {Agent} failed")]
    private partial void LogDispatchFailed(Exception exception, long runId, string agent);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Agent {Agent} ({AgentId}) connected, offering {Executors}; {Attached} runs in progress re-attached")]
    private partial void LogAgentConnected(string agent, string agentId, string executors, int attached);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Information, Message = "Agent {Agent} ({AgentId}) disconnected; {Runs} runs in progress marked lost")]
    private partial void LogAgentDisconnected(string agent, string agentId, int runs);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Information, Message = "Run {RunId} failed; retry run {RetryRunId} (attempt {Attempt}) at {At:O}")]
    private partial void LogRetryScheduled(long runId, long retryRunId, int attempt, DateTimeOffset at);

    [LoggerMessage(EventId = 3205, Level = LogLevel.Error, Message = "Could not schedule the retry of run {RunId}")]
    private partial void LogRetryFailed(Exception exception, long runId);

    [LoggerMessage(EventId = 3207, Level = LogLevel.Warning, Message = "Agent {Agent} ({AgentId}) disconnected; {Runs} runs in progress detached, recorded lost unless it reconnects within {Seconds} s")]
    private partial void LogAgentDetached(string agent, string agentId, int runs, double seconds);

    [LoggerMessage(EventId = 3208, Level = LogLevel.Information, Message = "Kill of run {RunId} kept for agent {Agent}, which is disconnected; delivered when it reconnects")]
    private partial void LogKillDeferred(long runId, string agent);

    [LoggerMessage(EventId = 3209, Level = LogLevel.Error, Message = "Could not record the detached runs of agent {Agent} as lost")]
    private partial void LogDetachedSweepFailed(Exception exception, string agent);

    [LoggerMessage(EventId = 3211, Level = LogLevel.Information, Message = "Run {RunId} was claimed but never reached agent {Agent}: sending it now")]
    private partial void LogResending(long runId, string agent);

    [LoggerMessage(EventId = 3210, Level = LogLevel.Information, Message = "Agent {Agent} now offers {Executors}")]
    private partial void LogExecutorsChanged(string agent, string executors);

    [LoggerMessage(EventId = 3206, Level = LogLevel.Warning, Message = "Could not send the kill of run {RunId} to agent {Agent}")]
    private partial void LogKillFailed(Exception exception, long runId, string agent);
}
