using System.Diagnostics.Metrics;
using GopherCron.Modules.Logs.Contracts;
using GopherCron.Modules.Shared.Cluster;
using GopherCron.Modules.Shared.Data;
using GopherCron.Modules.Shared.Time;
using GopherCron.Modules.Tasks.Data;
using GopherCron.Modules.Tasks.Dispatching;
using GopherCron.Modules.Tasks.Domain;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GopherCron.Modules.Tasks.Scheduling;

/// <summary>
/// Fires schedules while this replica leads. On taking office it rebuilds the schedule index from the store, settles
/// runs no agent holds, and applies each task's misfire policy to what was missed; then it sleeps until the earliest
/// fire (or until a task changes), claims every due fire as one batch, and dispatches. Losing leadership cancels it.
/// </summary>
internal sealed partial class Scheduler(
    Database database,
    ILeadership leadership,
    Dispatcher dispatcher,
    AgentRegistry agents,
    IRunLedger ledger,
    TaskChangeFeed changes,
    LeadershipFence fence,
    IReplicaIdentity identity,
    IEnumerable<ILeaderAnnouncer> announcers,
    IOptions<TasksOptions> options,
    TimeProvider clock,
    IMeterFactory meters,
    ILogger<Scheduler> logger) : BackgroundService
{
    private readonly ScheduleIndex _index = new();

    // The updated_at of each task's definition as last applied, so a change read back from the store is applied once.
    private readonly Dictionary<long, long> _applied = [];

    // Replicas' clocks differ a little: the store is re-read this far back, and _applied drops what was seen.
    private static readonly TimeSpan StoreClockSkew = TimeSpan.FromSeconds(5);
    private DateTimeOffset _storeWatermark;
    private DateTimeOffset _nextTombstonePurge;
    private readonly Counter<long> _officeStarted = meters.Create("GopherCron.Cluster")
        .CreateCounter<long>("gophercron.cluster.terms_led", "{term}", "Terms in which this replica took scheduling office.");

    /// <summary>True once this replica leads and its schedule is loaded.</summary>
    public bool IsScheduling { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (leadership.Role != ClusterRole.Standalone)
        {
            _ = WarmUpAsync(stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            LeadershipLease lease;
            try
            {
                lease = await leadership.WaitForLeadershipAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            using var term = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.Token);
            var inOffice = false;
            try
            {
                if (leadership.Role == ClusterRole.Standalone)
                {
                    lease = lease with { Term = await fence.NextStandaloneTermAsync(term.Token) };
                }

                if (!await TakeOfficeAsync(lease.Term, term.Token))
                {
                    // A successor already raised the fence: Raft will tell this replica soon; do nothing until then.
                    LogFencedOut(lease.Term);
                    await Task.Delay(TimeSpan.FromSeconds(1), clock, term.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    continue;
                }

                inOffice = true;
                dispatcher.BeginTerm(lease);
                LogTookOffice(lease.Term);
                _officeStarted.Add(1);
                await LeadAsync(lease, term.Token);
            }
            catch (OperationCanceledException) when (term.IsCancellationRequested)
            {
            }
            catch (DeposedLeaderException e)
            {
                LogDeposed(e.Term);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, term.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            catch (Exception e)
            {
                // The store may be down; start the term over rather than schedule from a partial view.
                LogLeadFailed(e, lease.Term);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            finally
            {
                IsScheduling = false;
                _index.Clear();
                _applied.Clear();
                if (inOffice)
                {
                    dispatcher.EndTerm();
                    LogLeftOffice(lease.Term);
                }
            }
        }
    }

    /// <summary>
    /// A follower runs the take-over's queries once ahead of time (query compilation and JIT cost a few hundred
    /// milliseconds the first time), so that a failover does not pay for them. Nothing is written.
    /// </summary>
    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), clock, cancellationToken);
            await using (var db = new TasksDb(database.Options))
            {
                await ReadEnabledTasks(db).ToListAsync(cancellationToken);
            }

            await ledger.GetUnfinishedRunsAsync(cancellationToken);
            await ledger.GetLastFireTimesAsync(cancellationToken);
            await fence.ReadAsync(cancellationToken);
            await using var probe = new TasksDb(database.Options);
            await using var tx = await probe.BeginTransactionAsync(cancellationToken);
            try
            {
                // Term -1 never holds the fence: this only prepares the statement; the transaction is rolled back.
                await LeadershipFence.HoldAsync(probe, -1, cancellationToken);
            }
            catch (DeposedLeaderException)
            {
            }

            await tx.RollbackAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogWarmUpFailed(e.Message);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static IQueryable<Data.TaskRow> ReadEnabledTasks(TasksDb db) => db.Tasks.Where(t => t.Enabled);

    /// <summary>Raises the store's fence to this term and publishes where this replica is; false if it was deposed.</summary>
    private async Task<bool> TakeOfficeAsync(long term, CancellationToken cancellationToken)
    {
        var address = await identity.GetAsync(cancellationToken);
        if (!await fence.TakeOfficeAsync(term, address.Replica, address.ApiUrl, address.AgentsUrl, cancellationToken))
        {
            return false;
        }

        var record = new LeaderRecord(term, address.Replica, address.ApiUrl, address.AgentsUrl, clock.GetUtcNow());
        foreach (var announcer in announcers)
        {
            // Best effort and in the background: agents also find the leader by asking any replica.
            _ = AnnounceAsync(announcer, record, cancellationToken);
        }

        return true;
    }

    private async Task AnnounceAsync(ILeaderAnnouncer announcer, LeaderRecord record, CancellationToken cancellationToken)
    {
        try
        {
            await announcer.AnnounceAsync(record, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogAnnounceFailed(e, record.Term);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task LeadAsync(LeadershipLease lease, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await agents.WaitForAnyAsync(settings.AgentGracePeriod, clock, cancellationToken);

        var clustered = leadership.Role != ClusterRole.Standalone;

        // Changes noted while this replica followed are in the full load below.
        while (changes.Reader.TryRead(out _))
        {
        }

        if (clustered)
        {
            await Features.AgentWeightsLoader.LoadAsync(database, agents, cancellationToken);
        }

        var pollAt = clock.GetUtcNow();
        _storeWatermark = pollAt - StoreClockSkew;
        var tasks = await LoadEnabledTasksAsync(cancellationToken);
        await SettleUnfinishedRunsAsync(tasks, lease, cancellationToken);

        var lastFires = await ledger.GetLastFireTimesAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var catchUp = new List<Fire>();
        foreach (var task in tasks.Values)
        {
            var plan = MisfirePlanner.Plan(task, lastFires.GetValueOrDefault(task.Id), now, settings.MisfireThreshold, settings.MaxCatchUpFires);
            if (plan.SkippedUpTo is { } skipped)
            {
                catchUp.Add(new Fire(task, skipped, RunTrigger.Misfire,
                    $"fires up to this instant were missed while no scheduler was running (misfire: {task.Misfire.ToWire()})"));
            }

            catchUp.AddRange(plan.CatchUp.Select(at => new Fire(task, at, RunTrigger.Misfire)));
            catchUp.AddRange(plan.Late.Select(at => new Fire(task, at, RunTrigger.Cron)));
            _index.Set(task, plan.Next);
        }

        if (catchUp.Count > 0)
        {
            LogCatchUp(catchUp.Count, tasks.Count);
            await dispatcher.FireAsync(catchUp, lease.Term, cancellationToken);
        }

        IsScheduling = true;
        LogScheduling(_index.Count, lease.Term);
        var due = new List<(CronTask Task, DateTimeOffset At)>();
        var fires = new List<Fire>();
        while (!cancellationToken.IsCancellationRequested)
        {
            if (clustered && clock.GetUtcNow() >= pollAt)
            {
                // Replicas share the store: tasks created, edited or deleted through a follower's API are read here.
                await PollStoreChangesAsync(cancellationToken);
                pollAt = clock.GetUtcNow() + settings.ClusterChangePollInterval;
            }

            await ApplyChangesAsync(cancellationToken);

            now = clock.GetUtcNow();
            due.Clear();
            _index.TakeDue(now, due);
            if (due.Count > 0)
            {
                fires.Clear();
                foreach (var (task, at) in due)
                {
                    PlanDueFire(task, at, now, settings.MisfireThreshold, fires);
                }

                await dispatcher.FireAsync(fires, lease.Term, cancellationToken);
                continue;
            }

            await SleepUntilNextAsync(now, clustered ? pollAt : null, cancellationToken);
        }
    }

    private async Task PollStoreChangesAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var since = _storeWatermark.ToUnixMs();
        _storeWatermark = now - StoreClockSkew;
        await using var db = new TasksDb(database.Options);
        var edited = await db.Tasks.Where(t => t.UpdatedAt >= since).Select(t => new { t.Id, t.UpdatedAt }).ToListAsync(cancellationToken);
        foreach (var task in edited)
        {
            if (!_applied.TryGetValue(task.Id, out var applied) || applied != task.UpdatedAt)
            {
                changes.Changed(task.Id);
            }
        }

        var deleted = await db.Tombstones.Where(t => t.DeletedAt >= since).Select(t => t.TaskId).ToListAsync(cancellationToken);
        foreach (var taskId in deleted.Where(_applied.ContainsKey))
        {
            changes.Changed(taskId);
        }

        if (now >= _nextTombstonePurge)
        {
            _nextTombstonePurge = now + TimeSpan.FromHours(1);
            var expired = (now - TaskTombstones.KeptFor).ToUnixMs();
            await db.Tombstones.Where(t => t.DeletedAt < expired).DeleteAsync(cancellationToken);
        }
    }

    // A fire taken late (the process was paused or overloaded) is a misfire once past the threshold.
    private void PlanDueFire(CronTask task, DateTimeOffset at, DateTimeOffset now, TimeSpan threshold, List<Fire> fires)
    {
        if (now - at <= threshold || task.Misfire == MisfirePolicy.FireAll)
        {
            fires.Add(new Fire(task, at, now - at <= threshold ? RunTrigger.Cron : RunTrigger.Misfire));
            _index.Set(task, task.NextFireAfter(at));
            return;
        }

        var newest = MisfirePlanner.LastIn(task, at, now - threshold) ?? at;
        fires.Add(task.Misfire == MisfirePolicy.FireOnce
            ? new Fire(task, newest, RunTrigger.Misfire)
            : new Fire(task, newest, RunTrigger.Misfire, $"the scheduler fell more than {threshold.TotalSeconds:0.###} s behind (misfire: skip)"));
        _index.Set(task, task.NextFireAfter(newest));
    }

    private async Task SleepUntilNextAsync(DateTimeOffset now, DateTimeOffset? pollAt, CancellationToken cancellationToken)
    {
        var next = _index.PeekNext();
        if (pollAt is { } poll && (next is null || poll < next))
        {
            next = poll;
        }

        using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var changed = changes.Reader.WaitToReadAsync(wake.Token).AsTask();
        Task timer = next is { } at
            ? Task.Delay(at - now > TimeSpan.Zero ? at - now : TimeSpan.Zero, clock, wake.Token)
            : Task.Delay(Timeout.InfiniteTimeSpan, clock, wake.Token);
        await Task.WhenAny(changed, timer);
        await wake.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task ApplyChangesAsync(CancellationToken cancellationToken)
    {
        HashSet<long>? changed = null;
        while (changes.Reader.TryRead(out var taskId))
        {
            (changed ??= []).Add(taskId);
        }

        if (changed is null)
        {
            return;
        }

        await using var db = new TasksDb(database.Options);
        var rows = await db.Tasks.Where(t => changed.Contains(t.Id)).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var taskId in changed)
        {
            var row = rows.FirstOrDefault(r => r.Id == taskId);
            if (row is null)
            {
                _applied.Remove(taskId);
            }
            else
            {
                _applied[taskId] = row.UpdatedAt;
            }

            if (row is null || !row.Enabled || !CronTask.TryFrom(row, options.Value, out var task, out _))
            {
                _index.Remove(taskId);
                continue;
            }

            // An edit or a resume schedules from now on; fires before it are not caught up.
            _index.Set(task!, task!.NextFireAfter(now));
        }
    }

    private async Task<Dictionary<long, CronTask>> LoadEnabledTasksAsync(CancellationToken cancellationToken)
    {
        await using var db = new TasksDb(database.Options);
        var rows = await ReadEnabledTasks(db).ToListAsync(cancellationToken);
        var tasks = new Dictionary<long, CronTask>(rows.Count);
        foreach (var row in rows)
        {
            _applied[row.Id] = row.UpdatedAt;
            if (CronTask.TryFrom(row, options.Value, out var task, out var error))
            {
                tasks[row.Id] = task!;
                continue;
            }

            // An unreadable schedule disables the task with the reason instead of stopping every other task.
            LogInvalidSchedule(row.Id, error!);
            await db.Tasks.Where(t => t.Id == row.Id)
                .Set(t => t.Enabled, false)
                .Set(t => t.ScheduleError, error!.Length > 500 ? error[..500] : error)
                .UpdateAsync(cancellationToken);
        }

        return tasks;
    }

    private async Task SettleUnfinishedRunsAsync(Dictionary<long, CronTask> tasks, LeadershipLease lease, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var settled = 0;
        var unfinished = await ledger.GetUnfinishedRunsAsync(cancellationToken);
        var handedOut = await LoadTasksOfHandedOutRunsAsync(unfinished, tasks, cancellationToken);
        var adopt = new List<(UnfinishedRun Run, CronTask Task)>();
        foreach (var run in unfinished)
        {
            if (dispatcher.Holds(run.RunId))
            {
                continue;
            }

            if (run is { Trigger: RunTrigger.Retry, Status: RunStatus.Pending, Agent: null } && tasks.TryGetValue(run.TaskId, out var task))
            {
                dispatcher.ResumeRetry(run, task, lease);
                continue;
            }

            // A run handed to an agent may still run there: its agent gets Tasks:AgentLostAfter to reconnect and say so.
            if (run.Agent is not null && handedOut.TryGetValue(run.TaskId, out var owner))
            {
                adopt.Add((run, owner));
                continue;
            }

            ledger.RecordFinished(run.RunId, RunStatus.Lost, null,
                "no agent holds this run after the scheduler restarted or changed leader", now);
            settled++;
        }

        settled += dispatcher.Adopt(adopt);

        if (settled > 0)
        {
            LogSettled(settled);
        }
    }

    // Runs of paused tasks (run now) may be out on agents too; their tasks are not in the schedule.
    private async Task<Dictionary<long, CronTask>> LoadTasksOfHandedOutRunsAsync(
        IReadOnlyList<UnfinishedRun> runs, Dictionary<long, CronTask> enabled, CancellationToken cancellationToken)
    {
        var result = new Dictionary<long, CronTask>();
        var missing = new HashSet<long>();
        foreach (var run in runs.Where(r => r.Agent is not null))
        {
            if (enabled.TryGetValue(run.TaskId, out var task))
            {
                result[run.TaskId] = task;
            }
            else
            {
                missing.Add(run.TaskId);
            }
        }

        if (missing.Count > 0)
        {
            await using var db = new TasksDb(database.Options);
            foreach (var row in await db.Tasks.Where(t => missing.Contains(t.Id)).ToListAsync(cancellationToken))
            {
                if (CronTask.TryFrom(row, options.Value, out var task, out _))
                {
                    result[row.Id] = task!;
                }
            }
        }

        return result;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Took scheduling office in term {Term}")]
    private partial void LogTookOffice(long term);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Left scheduling office of term {Term}")]
    private partial void LogLeftOffice(long term);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Scheduling in term {Term} failed; starting over")]
    private partial void LogLeadFailed(Exception exception, long term);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Scheduling {Count} enabled tasks in term {Term}")]
    private partial void LogScheduling(int count, long term);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Recording {Count} missed or late fires of {Tasks} tasks per their misfire policies")]
    private partial void LogCatchUp(int count, int tasks);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Task {TaskId} was disabled: its schedule no longer parses: {Error}")]
    private partial void LogInvalidSchedule(long taskId, string error);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "Not taking scheduling office in term {Term}: the store already saw a later leader")]
    private partial void LogFencedOut(long term);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "Deposed in term {Term}: a later leader took office; scheduling stopped")]
    private partial void LogDeposed(long term);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Debug, Message = "Warming up the take-over queries failed: {Reason}")]
    private partial void LogWarmUpFailed(string reason);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Could not announce the leader of term {Term}")]
    private partial void LogAnnounceFailed(Exception exception, long term);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Marked {Count} runs lost: no agent holds them")]
    private partial void LogSettled(int count);
}
