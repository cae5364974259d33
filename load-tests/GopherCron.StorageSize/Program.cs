// Inserts N finished runs through the real claim path (IRunLedger: the claim INSERTs, then one ~200-byte output
// chunk and the finish per run, written by the ledger's batch writer), then reports the store's size on disk.
// usage: dotnet run -c Release --project load-tests/GopherCron.StorageSize -- <runs> [sqlite|mariadb] [connection string]
using System.Text;
using GopherCron.Modules.Logs;
using GopherCron.Modules.Logs.Contracts;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Data;
using LinqToDB.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var runs = args.Length > 0 ? int.Parse(args[0]) : 100_000;
var provider = args.Length > 1 ? args[1] : "sqlite";
var connectionString = args.Length > 2 ? args[2] : $"Data Source={Path.Combine(Path.GetTempPath(), $"gophercron-size-{Guid.NewGuid():N}.db")}";

var builder = Host.CreateApplicationBuilder();
builder.Configuration["Database:Provider"] = provider;
builder.Configuration["Database:ConnectionString"] = connectionString;
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddGopherCronShared();
builder.AddModule<LogsModule>();
using var host = builder.Build();
await host.Services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
await host.StartAsync();

var ledger = host.Services.GetRequiredService<IRunLedger>();
var output = new string('x', 199) + "\n";   // a typical short job log: 200 bytes
var start = DateTimeOffset.UtcNow.AddDays(-1);
var watch = System.Diagnostics.Stopwatch.StartNew();
const int Batch = 1000;
const int Tasks = 200;      // 200 tasks of 10 projects, each firing once a "minute"
for (var done = 0; done < runs; done += Batch)
{
    var claims = Enumerable.Range(done, Math.Min(Batch, runs - done)).Select(i => new RunClaim
    {
        ProjectId = 1 + i % Tasks % 10,
        TaskId = 1 + i % Tasks,
        FireAt = start.AddMinutes(i / Tasks),
        Trigger = RunTrigger.Cron,
        ScheduledAt = start.AddMinutes(i / Tasks),
        Term = 1,
    }).ToList();
    var claimed = await ledger.ClaimAsync(claims, CancellationToken.None);
    foreach (var run in claimed)
    {
        ledger.RecordStarted(run.RunId, "agent-01.example.internal", run.Claim.ScheduledAt.AddMilliseconds(40));
        ledger.RecordOutput(run.RunId, 1, output);
        ledger.RecordFinished(run.RunId, run.RunId % 20 == 0 ? RunStatus.Failed : RunStatus.Succeeded,
            run.RunId % 20 == 0 ? 1 : 0, null, run.Claim.ScheduledAt.AddSeconds(2));
    }

    await ledger.FlushAsync(CancellationToken.None);
}

var elapsed = watch.Elapsed;
await host.StopAsync();
var database = host.Services.GetRequiredService<Database>();
await using var db = database.Open();
var report = new StringBuilder();
long total;
if (database.Dialect == SqlDialect.Sqlite)
{
    await db.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
    var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
    total = new FileInfo(file).Length;
    try
    {
        foreach (var (name, bytes) in await db.QueryToListAsync<(string, long)>(
            "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"))
        {
            report.AppendLine($"  {name,-28} {bytes / 1048576.0,8:F1} MiB");
        }
    }
    catch (Microsoft.Data.Sqlite.SqliteException)
    {
        // The bundled SQLite may be built without the dbstat table: the file size alone then.
    }
}
else
{
    await db.ExecuteAsync("ANALYZE TABLE runs, run_output");
    foreach (var (name, data, index) in await db.QueryToListAsync<(string, long, long)>(
        "SELECT table_name, data_length, index_length FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('runs', 'run_output')"))
    {
        report.AppendLine($"  {name,-28} data {data / 1048576.0,8:F1} MiB  indexes {index / 1048576.0,8:F1} MiB");
    }

    // InnoDB's own accounting of pages in use (the .ibd files are this plus preallocated free extents).
    total = await db.ExecuteAsync<long>(
        "SELECT SUM(data_length + index_length) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('runs', 'run_output')");
}

Console.WriteLine($"{runs} runs on {provider} in {elapsed.TotalSeconds:F1} s ({runs / elapsed.TotalSeconds:F0} runs/s)");
Console.Write(report);
Console.WriteLine($"total on disk {total / 1048576.0:F1} MiB = {total / (double)runs:F0} bytes/run => {total / (double)runs:F0} MB per million runs");
