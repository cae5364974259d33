using GopherCron.Modules.Logs;
using GopherCron.Modules.Logs.Contracts;
using GopherCron.Modules.Logs.Data;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Data;
using LinqToDB.Async;
using LinqToDB.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GopherCron.Logs.Tests;

/// <summary>The run ledger on a real SQLite file, as the embedded default runs it.</summary>
public sealed class RunLedgerClaimTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"gophercron-ledger-{Guid.NewGuid():N}.db");
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Database:Provider"] = "sqlite";
        builder.Configuration["Database:ConnectionString"] = $"Data Source={_path}";
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddGopherCronShared();
        builder.AddModule<LogsModule>();
        _host = builder.Build();
        await _host.Services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_large_batch_of_fires_is_claimed_whole_across_several_statements_and_only_once()
    {
        var ledger = _host.Services.GetRequiredService<IRunLedger>();
        var at = DateTimeOffset.UtcNow;
        var claims = Enumerable.Range(1, 1_000)
            .Select(task => new RunClaim { ProjectId = 1, TaskId = task, FireAt = at, Trigger = RunTrigger.Cron, ScheduledAt = at, Term = 1 })
            .ToList();

        var first = await ledger.ClaimAsync(claims, CancellationToken.None);
        var again = await ledger.ClaimAsync(claims, CancellationToken.None);

        first.Count.ShouldBe(1_000);
        first.Select(r => r.RunId).Distinct().Count().ShouldBe(1_000);
        first.Select(r => r.Claim.TaskId).ShouldBe(claims.Select(c => c.TaskId));
        again.ShouldBeEmpty();
    }

    [Fact]
    public async Task Starts_and_finishes_reach_the_run_row_and_a_late_result_corrects_a_run_marked_lost()
    {
        var ledger = _host.Services.GetRequiredService<IRunLedger>();
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        var claimed = await ledger.ClaimAsync(
            [.. new[] { 1L, 2L }.Select(task => new RunClaim { ProjectId = 1, TaskId = task, FireAt = at, Trigger = RunTrigger.Cron, ScheduledAt = at, Term = 1 })],
            CancellationToken.None);
        var (done, lost) = (claimed[0].RunId, claimed[1].RunId);

        ledger.RecordStarted(done, "agent-a", at.AddMilliseconds(5));
        ledger.RecordFinished(done, RunStatus.Succeeded, 0, null, at.AddMilliseconds(9));
        ledger.RecordStarted(lost, "agent-b", at.AddMilliseconds(6));
        ledger.RecordFinished(lost, RunStatus.Lost, null, "agent vanished", at.AddMilliseconds(7));
        ledger.RecordFinished(lost, RunStatus.Failed, 3, "exit 3", at.AddMilliseconds(8));
        await ledger.FlushAsync(CancellationToken.None);

        await using var db = new LogsDb(_host.Services.GetRequiredService<Database>().Options);
        var rows = (await db.Runs.OrderBy(r => r.Id).ToListAsync())
            .Select(r => (r.Id, r.Status, r.StartedAt, r.FinishedAt, r.Agent, r.ExitCode, r.Error));
        rows.ShouldBe([
            (done, "succeeded", at.AddMilliseconds(5).ToUnixTimeMilliseconds(), at.AddMilliseconds(9).ToUnixTimeMilliseconds(), "agent-a", 0, null),
            (lost, "failed", at.AddMilliseconds(6).ToUnixTimeMilliseconds(), at.AddMilliseconds(8).ToUnixTimeMilliseconds(), "agent-b", 3, "exit 3"),
        ]);
    }

    [Fact]
    public async Task A_writer_waits_for_the_sqlite_lock_in_sqlite_itself()
    {
        // busy_timeout set on every connection: SQLite's own handler waits for the write lock in steps of a few ms
        // instead of Microsoft.Data.Sqlite's fixed 150 ms sleeps between retries.
        await using var db = _host.Services.GetRequiredService<Database>().Open();
        var timeout = await db.ExecuteAsync<long>("PRAGMA busy_timeout");
        timeout.ShouldBe(30_000);
    }
}
