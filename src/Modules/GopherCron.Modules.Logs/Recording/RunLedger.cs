using System.Data.Common;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using GopherCron.Modules.Logs.Contracts;
using GopherCron.Modules.Logs.Data;
using GopherCron.Modules.Logs.Domain;
using GopherCron.Modules.Logs.Live;
using GopherCron.Modules.Shared.Cluster;
using GopherCron.Modules.Shared.Data;
using GopherCron.Modules.Shared.Time;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GopherCron.Modules.Logs.Recording;

/// <summary>
/// The run ledger. Claims are written at once in one transaction; progress (start, output, finish) is queued and
/// written in batches by one writer, in arrival order, retrying until the store takes it, so a store outage delays
/// results but loses none.
/// </summary>
internal sealed partial class RunLedger(
    Database database,
    RunFeed feed,
    RunEvents runEvents,
    IOptions<LogsOptions> options,
    TimeProvider clock,
    IMeterFactory meters,
    ILogger<RunLedger> logger) : BackgroundService, IRunLedger
{
    private const int MaxBatch = 2000;
    // Rows per multi-row claim INSERT on MySQL, where round trips cost. SQLite claims row by row (ClaimOnSqliteAsync).
    private const int ClaimRowsPerStatement = 400;

    private const string ClaimColumns = "project_id, task_id, fire_at, slot, claim_batch, trigger_kind, attempt, parent_run_id, status, scheduled_at, finished_at, agent, error, term, output_bytes, output_truncated, created_at, agent_id";

    private readonly Channel<LedgerWrite> _writes = Channel.CreateUnbounded<LedgerWrite>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly Dictionary<long, OutputCap> _caps = [];
    private readonly Counter<long> _finished = meters.Create("GopherCron.Logs").CreateCounter<long>("gophercron.runs.finished", description: "Runs that reached a terminal state, by status.");

    public async Task<IReadOnlyList<ClaimedRun>> ClaimAsync(IReadOnlyList<RunClaim> claims, CancellationToken cancellationToken)
    {
        if (claims.Count == 0)
        {
            return [];
        }

        var batch = RandomNumberGenerator.GetInt32(1, int.MaxValue) * (long)int.MaxValue + RandomNumberGenerator.GetInt32(int.MaxValue);
        var now = clock.GetUtcNow().ToUnixMs();
        if (database.Dialect == SqlDialect.Sqlite)
        {
            return await ClaimOnSqliteAsync(claims, batch, now, cancellationToken);
        }

        await using var db = new LogsDb(database.Options);
        await using (var tx = await db.BeginTransactionAsync(cancellationToken))
        {
            // Fencing: no run is created in a term the store knows has ended (a successor raised the fence).
            await LeadershipFence.HoldAsync(db, claims.Max(c => c.Term), cancellationToken);
            for (var offset = 0; offset < claims.Count; offset += ClaimRowsPerStatement)
            {
                var count = Math.Min(ClaimRowsPerStatement, claims.Count - offset);
                var (sql, parameters) = BuildClaimInsert(claims, offset, count, batch, now);
                await db.ExecuteAsync(sql, cancellationToken, parameters);
            }

            await tx.CommitAsync(cancellationToken);
        }

        var inserted = await db.Runs
            .Where(r => r.ClaimBatch == batch)
            .Select(r => new { r.Id, r.TaskId, r.FireAt, r.Slot })
            .ToListAsync(cancellationToken);
        var ids = inserted.ToDictionary(r => (r.TaskId, r.FireAt, r.Slot), r => r.Id);
        var result = new List<ClaimedRun>(inserted.Count);
        foreach (var claim in claims)
        {
            if (ids.TryGetValue((claim.TaskId, claim.FireAt?.ToUnixMs(), claim.Slot), out var id))
            {
                Claimed(result, id, claim);
            }
        }

        return result;
    }

    private void Claimed(List<ClaimedRun> result, long runId, RunClaim claim)
    {
        result.Add(new ClaimedRun(runId, claim));
        runEvents.Publish(new RunStatusEvent(runId, claim.ProjectId, claim.TaskId, claim.Status, claim.Agent));
        if (claim.Status.IsTerminal())
        {
            _finished.Add(1, new KeyValuePair<string, object?>("status", claim.Status.ToWire()));
        }
    }

    /// <summary>
    /// SQLite is in process, so round trips cost nothing: one prepared single-row INSERT ... RETURNING id, re-bound per
    /// claim in one transaction. The multi-row form was slower here: Microsoft.Data.Sqlite binds each parameter by
    /// name and SQLite finds a name by a linear scan of the statement's parameters, so a 400-row statement (~5,000
    /// parameters) cost rows x parameters to bind (the lateness benchmark's profile, docs/benchmarks.md).
    /// </summary>
    private async Task<IReadOnlyList<ClaimedRun>> ClaimOnSqliteAsync(IReadOnlyList<RunClaim> claims, long batch, long now, CancellationToken cancellationToken)
    {
        var result = new List<ClaimedRun>(claims.Count);
        await using var db = new LogsDb(database.Options);
        await using var tx = await db.BeginTransactionAsync(cancellationToken);

        // Fencing: no run is created in a term the store knows has ended (a successor raised the fence).
        await LeadershipFence.HoldAsync(db, claims.Max(c => c.Term), cancellationToken);
        await using (var insert = db.OpenDbConnection().CreateCommand())
        {
            insert.Transaction = db.Transaction;
            insert.CommandText = $"INSERT INTO runs ({ClaimColumns}) VALUES (@pr, @t, @f, @s, @b, @tr, @a, @pa, @st, @sa, @fi, @ag, @e, @term, 0, @no, @now, @ai) " +
                "ON CONFLICT DO NOTHING RETURNING id";
            string[] names = ["pr", "t", "f", "s", "b", "tr", "a", "pa", "st", "sa", "fi", "ag", "e", "term", "no", "now", "ai"];
            foreach (var name in names)
            {
                var parameter = insert.CreateParameter();
                parameter.ParameterName = "@" + name;
                insert.Parameters.Add(parameter);
            }

            insert.Prepare();
            foreach (var c in claims)
            {
                object?[] values =
                [
                    c.ProjectId, c.TaskId, c.FireAt?.ToUnixMs(), c.Slot, batch, c.Trigger.ToWire(), c.Attempt, c.ParentRunId, c.Status.ToWire(),
                    c.ScheduledAt.ToUnixMs(), c.Status.IsTerminal() ? (c.FinishedAt ?? clock.GetUtcNow()).ToUnixMs() : null, c.Agent,
                    Truncate(c.Error), c.Term, false, now, c.AgentId,
                ];
                for (var i = 0; i < values.Length; i++)
                {
                    insert.Parameters[i].Value = values[i] ?? DBNull.Value;
                }

                // No row comes back when the fire was claimed already (ON CONFLICT DO NOTHING): it is not ours.
                if (await insert.ExecuteScalarAsync(cancellationToken) is long runId)
                {
                    Claimed(result, runId, c);
                }
            }
        }

        await tx.CommitAsync(cancellationToken);
        return result;
    }

    private (string Sql, DataParameter[] Parameters) BuildClaimInsert(IReadOnlyList<RunClaim> claims, int offset, int count, long batch, long now)
    {
        var sql = new StringBuilder("INSERT INTO runs (").Append(ClaimColumns).Append(") VALUES ");
        var parameters = new List<DataParameter>(count * 15);
        for (var i = 0; i < count; i++)
        {
            var c = claims[offset + i];
            var p = "p" + i + "_";
            sql.Append(i == 0 ? "(" : ",(")
                .Append('@').Append(p).Append("pr,@").Append(p).Append("t,@").Append(p).Append("f,@").Append(p).Append("s,@b,@")
                .Append(p).Append("tr,@").Append(p).Append("a,@").Append(p).Append("pa,@").Append(p).Append("st,@").Append(p)
                .Append("sa,@").Append(p).Append("fi,@").Append(p).Append("ag,@").Append(p).Append("e,@term,0,@no,@now,@").Append(p).Append("ai)");
            parameters.Add(DataParameter.Int64(p + "pr", c.ProjectId));
            parameters.Add(DataParameter.Int64(p + "t", c.TaskId));
            parameters.Add(new DataParameter(p + "f", c.FireAt?.ToUnixMs(), DataType.Int64));
            parameters.Add(DataParameter.VarChar(p + "s", c.Slot));
            parameters.Add(DataParameter.VarChar(p + "tr", c.Trigger.ToWire()));
            parameters.Add(DataParameter.Int32(p + "a", c.Attempt));
            parameters.Add(new DataParameter(p + "pa", c.ParentRunId, DataType.Int64));
            parameters.Add(DataParameter.VarChar(p + "st", c.Status.ToWire()));
            parameters.Add(DataParameter.Int64(p + "sa", c.ScheduledAt.ToUnixMs()));
            parameters.Add(new DataParameter(p + "fi", c.Status.IsTerminal() ? (c.FinishedAt ?? clock.GetUtcNow()).ToUnixMs() : null, DataType.Int64));
            parameters.Add(new DataParameter(p + "ag", c.Agent, DataType.NVarChar));
            parameters.Add(new DataParameter(p + "e", Truncate(c.Error), DataType.NVarChar));
            parameters.Add(new DataParameter(p + "ai", c.AgentId, DataType.NVarChar));
        }

        // Every claim in one statement was made in the same term; the batch id finds the inserted rows afterwards.
        parameters.Add(DataParameter.Int64("b", batch));
        parameters.Add(DataParameter.Int64("term", claims[offset].Term));
        parameters.Add(DataParameter.Boolean("no", false));
        parameters.Add(DataParameter.Int64("now", now));
        sql.Append(database.Dialect == SqlDialect.Sqlite ? " ON CONFLICT DO NOTHING" : " ON DUPLICATE KEY UPDATE id = id");
        return (sql.ToString(), parameters.ToArray());
    }

    public void RecordStarted(long runId, string agent, DateTimeOffset startedAt) =>
        Enqueue(new LedgerWrite.Started(runId, agent, startedAt));

    public void RecordOutput(long runId, long sequence, string text) =>
        Enqueue(new LedgerWrite.Output(runId, sequence, text));

    public void RecordFinished(long runId, RunStatus status, int? exitCode, string? error, DateTimeOffset finishedAt)
    {
        if (!status.IsTerminal())
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A run can only finish in a terminal state.");
        }

        Enqueue(new LedgerWrite.Finished(runId, status, exitCode, error, finishedAt));
    }

    public Task FlushAsync(CancellationToken cancellationToken)
    {
        var flush = new LedgerWrite.Flush(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        Enqueue(flush);
        return flush.Done.Task.WaitAsync(cancellationToken);
    }

    private void Enqueue(LedgerWrite write)
    {
        if (!_writes.Writer.TryWrite(write))
        {
            LogWriteAfterStop(write.GetType().Name, write.RunId);
            (write as LedgerWrite.Flush)?.Done.TrySetResult();
        }
    }

    public async Task<IReadOnlyDictionary<long, DateTimeOffset>> GetLastFireTimesAsync(CancellationToken cancellationToken)
    {
        await using var db = new LogsDb(database.Options);
        var rows = await db.Runs
            .Where(r => r.FireAt != null)
            .GroupBy(r => r.TaskId)
            .Select(g => new { TaskId = g.Key, Last = g.Max(r => r.FireAt) })
            .ToListAsync(cancellationToken);
        return rows.Where(r => r.Last is not null).ToDictionary(r => r.TaskId, r => UnixTime.FromUnixMs(r.Last!.Value));
    }

    public async Task<IReadOnlyDictionary<long, int>> CountActiveRunsAsync(IReadOnlyCollection<long> taskIds, CancellationToken cancellationToken)
    {
        if (taskIds.Count == 0)
        {
            return new Dictionary<long, int>();
        }

        await using var db = new LogsDb(database.Options);
        var pending = RunStatus.Pending.ToWire();
        var running = RunStatus.Running.ToWire();
        var rows = await db.Runs
            .Where(r => taskIds.Contains(r.TaskId) && (r.Status == pending || r.Status == running))
            .GroupBy(r => r.TaskId)
            .Select(g => new { TaskId = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.TaskId, r => r.Count);
    }

    public async Task<IReadOnlyList<UnfinishedRun>> GetUnfinishedRunsAsync(CancellationToken cancellationToken)
    {
        await using var db = new LogsDb(database.Options);
        var pending = RunStatus.Pending.ToWire();
        var running = RunStatus.Running.ToWire();
        var rows = await db.Runs
            .Where(r => r.Status == pending || r.Status == running)
            .OrderBy(r => r.Id)
            .ToListAsync(cancellationToken);
        return rows.Select(r => new UnfinishedRun(
            r.Id, r.ProjectId, r.TaskId,
            Enum.Parse<RunStatus>(r.Status, ignoreCase: true),
            Enum.Parse<RunTrigger>(r.Trigger, ignoreCase: true),
            r.Attempt, UnixTime.FromUnixMs(r.ScheduledAt), r.Agent, r.AgentId)).ToList();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Drain what is queued: results that arrived before shutdown are committed, not dropped.
        _writes.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<LedgerWrite>(MaxBatch);
        while (await _writes.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            await WriteBatchAsync(batch, stoppingToken);
            batch.Clear();
        }
    }

    private async Task WriteBatchAsync(List<LedgerWrite> batch, CancellationToken stoppingToken)
    {
        // Plan first (this mutates the output caps once), then apply with retries: a retry replays the same plan.
        var plan = new List<PlannedWrite>(batch.Count);
        var events = new List<RunFeedEvent>(batch.Count);
        foreach (var write in batch)
        {
            Plan(write, plan, events);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ApplyAsync(plan, CancellationToken.None);
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var delay = TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, Math.Min(attempt, 6))));
                LogWriteFailed(e, plan.Count, attempt, delay.TotalMilliseconds);
                if (stoppingToken.IsCancellationRequested && attempt >= 5)
                {
                    LogGaveUp(plan.Count);
                    break;
                }

                await Task.Delay(delay, clock, CancellationToken.None);
            }
        }

        foreach (var feedEvent in events)
        {
            feed.Publish(feedEvent);
        }

        await PublishStatusChangesAsync(events);

        foreach (var write in batch)
        {
            switch (write)
            {
                case LedgerWrite.Flush flush:
                    flush.Done.TrySetResult();
                    break;
                case LedgerWrite.Finished finished:
                    _finished.Add(1, new KeyValuePair<string, object?>("status", finished.Status.ToWire()));
                    break;
            }
        }
    }

    private void Plan(LedgerWrite write, List<PlannedWrite> plan, List<RunFeedEvent> events)
    {
        switch (write)
        {
            case LedgerWrite.Started s:
                plan.Add(new PlannedWrite.Start(s.RunId, s.Agent, s.StartedAt.ToUnixMs()));
                events.Add(new StatusChanged(s.RunId, RunStatus.Running));
                break;
            case LedgerWrite.Output o:
                if (!_caps.TryGetValue(o.RunId, out var cap))
                {
                    cap = new OutputCap(options.Value.OutputCapBytes);
                    _caps[o.RunId] = cap;
                }

                var operations = new List<OutputOperation>();
                cap.Accept(o.Sequence, o.Text, operations);
                foreach (var operation in operations)
                {
                    plan.Add(new PlannedWrite.OutputChange(o.RunId, operation));
                    if (operation is OutputOperation.Insert insert)
                    {
                        events.Add(new OutputAppended(o.RunId, insert.Sequence, insert.Text));
                    }
                }

                break;
            case LedgerWrite.Finished f:
                _caps.Remove(f.RunId, out var finishedCap);
                plan.Add(new PlannedWrite.Finish(f.RunId, f.Status.ToWire(), f.ExitCode, Truncate(f.Error), f.FinishedAt.ToUnixMs(),
                    finishedCap?.TotalBytes ?? 0, finishedCap?.ElidedBytes > 0));
                events.Add(new StatusChanged(f.RunId, f.Status));
                break;
        }
    }

    private async Task ApplyAsync(List<PlannedWrite> plan, CancellationToken cancellationToken)
    {
        if (plan.Count == 0)
        {
            return;
        }

        await using var db = new LogsDb(database.Options);
        await using var tx = await db.BeginTransactionAsync(cancellationToken);
        await using var updates = new RunUpdates(db);
        foreach (var write in plan)
        {
            switch (write)
            {
                case PlannedWrite.Start s:
                    await updates.StartAsync(s, cancellationToken);
                    break;
                case PlannedWrite.Finish f:
                    await updates.FinishAsync(f, cancellationToken);
                    break;
                case PlannedWrite.OutputChange { Operation: OutputOperation.Insert insert } o:
                    await db.InsertAsync(new OutputRow { RunId = o.RunId, Sequence = insert.Sequence, Content = insert.Text }, token: cancellationToken);
                    break;
                case PlannedWrite.OutputChange { Operation: OutputOperation.Delete delete } o:
                    await db.Output.Where(r => r.RunId == o.RunId && delete.Sequences.Contains(r.Sequence)).DeleteAsync(cancellationToken);
                    break;
                case PlannedWrite.OutputChange { Operation: OutputOperation.Marker marker } o:
                    if (marker.Update)
                    {
                        await db.Output.Where(r => r.RunId == o.RunId && r.Sequence == marker.Sequence)
                            .Set(r => r.Content, marker.Text).UpdateAsync(cancellationToken);
                    }
                    else
                    {
                        await db.InsertAsync(new OutputRow { RunId = o.RunId, Sequence = marker.Sequence, Content = marker.Text }, token: cancellationToken);
                    }

                    break;
            }
        }

        await tx.CommitAsync(cancellationToken);
    }

    // Subscribers see every status change of the batch, in order, with the run's project (for scoping) read back
    // after the commit.
    private async Task PublishStatusChangesAsync(List<RunFeedEvent> events)
    {
        if (!runEvents.HasSubscribers)
        {
            return;
        }

        var changes = events.OfType<StatusChanged>().ToList();
        if (changes.Count == 0)
        {
            return;
        }

        try
        {
            var runs = new Dictionary<long, (long ProjectId, long TaskId, string? Agent)>();
            await using var db = new LogsDb(database.Options);
            foreach (var chunk in changes.Select(c => c.RunId).Distinct().Chunk(500))
            {
                var rows = await db.Runs.Where(r => chunk.Contains(r.Id))
                    .Select(r => new { r.Id, r.ProjectId, r.TaskId, r.Agent })
                    .ToListAsync(CancellationToken.None);
                foreach (var row in rows)
                {
                    runs[row.Id] = (row.ProjectId, row.TaskId, row.Agent);
                }
            }

            foreach (var change in changes)
            {
                if (runs.TryGetValue(change.RunId, out var run))
                {
                    runEvents.Publish(new RunStatusEvent(change.RunId, run.ProjectId, run.TaskId, change.Status, run.Agent));
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Live views are a convenience: they catch up on the next event; the ledger must go on writing.
            LogEventsFailed(e);
        }
    }

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Reading run statuses for live subscribers failed")]
    private partial void LogEventsFailed(Exception exception);

    /// <summary>
    /// The start and finish updates, most of every batch, as two statements prepared once per batch and re-bound per
    /// run. A LINQ update is translated anew on every call, which made the ledger's writer the busiest thread under
    /// load, and its long transactions kept the scheduler's claims waiting for the lock (docs/benchmarks.md).
    /// </summary>
    private sealed class RunUpdates(LogsDb db) : IAsyncDisposable
    {
        private static readonly string Pending = RunStatus.Pending.ToWire();
        private static readonly string Running = RunStatus.Running.ToWire();
        private static readonly string Lost = RunStatus.Lost.ToWire();
        private DbCommand? _start;
        private DbCommand? _finish;

        public Task StartAsync(PlannedWrite.Start s, CancellationToken cancellationToken)
        {
            _start ??= Prepare("UPDATE runs SET status = @running, started_at = @at, agent = @agent WHERE id = @id AND status = @pending",
                "running", "at", "agent", "id", "pending");
            return ExecuteAsync(_start, cancellationToken, Running, s.At, s.Agent, s.RunId, Pending);
        }

        // A real result outranks a guess: a run marked lost is corrected when its result arrives late.
        public Task FinishAsync(PlannedWrite.Finish f, CancellationToken cancellationToken)
        {
            _finish ??= Prepare(
                "UPDATE runs SET status = @status, exit_code = @exit, error = @error, finished_at = @at, output_bytes = @bytes, " +
                "output_truncated = @truncated WHERE id = @id AND status IN (@pending, @running, @lost)",
                "status", "exit", "error", "at", "bytes", "truncated", "id", "pending", "running", "lost");
            return ExecuteAsync(_finish, cancellationToken, f.Status, f.ExitCode, f.Error, f.At, f.OutputBytes, f.Truncated, f.RunId, Pending, Running, Lost);
        }

        private DbCommand Prepare(string sql, params string[] names)
        {
            var command = db.OpenDbConnection().CreateCommand();
            command.Transaction = db.Transaction;
            command.CommandText = sql;
            foreach (var name in names)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@" + name;
                command.Parameters.Add(parameter);
            }

            command.Prepare();
            return command;
        }

        private static async Task ExecuteAsync(DbCommand command, CancellationToken cancellationToken, params object?[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i] ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            if (_start is not null)
            {
                await _start.DisposeAsync();
            }

            if (_finish is not null)
            {
                await _finish.DisposeAsync();
            }
        }
    }

    private static string? Truncate(string? error) => error is { Length: > 2000 } ? error[..1997] + "..." : error;

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Writing {Count} run updates failed (attempt {Attempt}); retrying in {DelayMs} ms")]
    private partial void LogWriteFailed(Exception exception, int count, int attempt, double delayMs);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Gave up writing {Count} run updates while shutting down; those runs will be marked lost at the next start")]
    private partial void LogGaveUp(int count);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Dropped {Write} for run {RunId}: the ledger has stopped")]
    private partial void LogWriteAfterStop(string write, long runId);

    private abstract record LedgerWrite(long RunId)
    {
        public sealed record Started(long RunId, string Agent, DateTimeOffset StartedAt) : LedgerWrite(RunId);

        public sealed record Output(long RunId, long Sequence, string Text) : LedgerWrite(RunId);

        public sealed record Finished(long RunId, RunStatus Status, int? ExitCode, string? Error, DateTimeOffset FinishedAt) : LedgerWrite(RunId);

        public sealed record Flush(TaskCompletionSource Done) : LedgerWrite(0);
    }

    private abstract record PlannedWrite
    {
        public sealed record Start(long RunId, string Agent, long At) : PlannedWrite;

        public sealed record Finish(long RunId, string Status, int? ExitCode, string? Error, long At, long OutputBytes, bool Truncated) : PlannedWrite;

        public sealed record OutputChange(long RunId, OutputOperation Operation) : PlannedWrite;
    }
}
