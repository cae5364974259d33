using System.Diagnostics;
using GopherCron.LoadTests.Harness;
using GopherCron.LoadTests.Systems;
using Microsoft.Data.Sqlite;

namespace GopherCron.LoadTests.Scenarios;

/// <summary>
/// N tasks running <c>true</c> every second through the built-in agent's shell executor. Counts what the store holds
/// afterwards: runs completed and stored per second, lateness (the agent's recorded start − the scheduled instant),
/// and any fire with no run row at all (lost).
/// </summary>
internal static class EndToEndScenario
{
    public static async Task<Report> RunAsync(Context context)
    {
        var tasks = context.Options.Int("tasks", 1000);
        var warmup = context.Options.Int("warmup", 10);
        var seconds = context.Options.Int("seconds", 30);
        var grace = context.Options.Int("grace", 10);
        var report = new Report("e2e", context.Command);
        report.Note($"{tasks} tasks, shell executor, command `true`, cron `* * * * * *`, built-in agent, SQLite; warm-up {warmup} s, window {seconds} s, then {grace} s for the last runs, then a graceful stop (the ledger drains) and the runs table is read");

        var data = Path.Combine(context.Work("e2e"), "host");
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }

        var build = HostBuild.FromEnvironment();
        await GopherCronHost.PrepareAsync(build, data, tasks, new { name = "bench-0", cron = "* * * * * *", executor = "shell", config = new { command = "true" } });
        double cpu, rss;
        DateTimeOffset from, to;
        string dbPath;
        await using (var host = await GopherCronHost.StartAsync(build, data, recordPath: null))
        {
            await host.WaitSchedulingAsync(TimeSpan.FromMinutes(2));
            var now = DateTimeOffset.UtcNow;
            from = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddSeconds(1 + warmup);
            to = from.AddSeconds(seconds);
            await Task.Delay(from - DateTimeOffset.UtcNow);
            var cpuStart = ProcessMeter.CpuSeconds(host.ProcessId);
            var wall = Stopwatch.StartNew();
            await Task.Delay(to - DateTimeOffset.UtcNow);
            cpu = (ProcessMeter.CpuSeconds(host.ProcessId) - cpuStart) / wall.Elapsed.TotalSeconds * 100;
            await Task.Delay(TimeSpan.FromSeconds(grace));
            rss = ProcessMeter.PeakRssMb(host.ProcessId);
            dbPath = host.DatabasePath;
        }

        var lateness = new Latency();
        var byStatus = new SortedDictionary<string, long>();
        long rowsInWindow = 0, distinctFires = 0, misfireRows = 0;
        var topErrors = new List<(string Error, long Count)>();
        await using (var connection = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly"))
        {
            await connection.OpenAsync();
            await using var query = connection.CreateCommand();
            query.CommandText = "SELECT status, scheduled_at, started_at FROM runs WHERE trigger_kind = 'cron' AND fire_at >= @from AND fire_at < @to";
            query.Parameters.AddWithValue("@from", from.ToUnixTimeMilliseconds());
            query.Parameters.AddWithValue("@to", to.ToUnixTimeMilliseconds());
            await using (var reader = await query.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    rowsInWindow++;
                    var status = reader.GetString(0);
                    byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
                    if (!reader.IsDBNull(2))
                    {
                        lateness.RecordMicros((reader.GetInt64(2) - reader.GetInt64(1)) * 1000);
                    }
                }
            }

            await using var distinct = connection.CreateCommand();
            distinct.CommandText = "SELECT COUNT(*) FROM (SELECT DISTINCT task_id, fire_at FROM runs WHERE trigger_kind = 'cron' AND fire_at >= @from AND fire_at < @to)";
            distinct.Parameters.AddWithValue("@from", from.ToUnixTimeMilliseconds());
            distinct.Parameters.AddWithValue("@to", to.ToUnixTimeMilliseconds());
            distinctFires = (long)(await distinct.ExecuteScalarAsync())!;

            // A scheduler more than Tasks:MisfireThreshold behind skips per the task's misfire policy (skip): one
            // "misfire" row per task stands for the fires it skipped. Those fires are accounted for, not silently lost.
            await using var misfires = connection.CreateCommand();
            misfires.CommandText = "SELECT COUNT(*) FROM runs WHERE trigger_kind = 'misfire' AND fire_at >= @from AND fire_at < @to";
            misfires.Parameters.AddWithValue("@from", from.ToUnixTimeMilliseconds());
            misfires.Parameters.AddWithValue("@to", to.ToUnixTimeMilliseconds() + 60_000);
            misfireRows = (long)(await misfires.ExecuteScalarAsync())!;

            await using var errors = connection.CreateCommand();
            errors.CommandText = "SELECT COALESCE(error, '(none)'), COUNT(*) FROM runs WHERE trigger_kind = 'cron' AND fire_at >= @from AND fire_at < @to " +
                "AND status <> 'succeeded' GROUP BY 1 ORDER BY 2 DESC LIMIT 5";
            errors.Parameters.AddWithValue("@from", from.ToUnixTimeMilliseconds());
            errors.Parameters.AddWithValue("@to", to.ToUnixTimeMilliseconds());
            await using var reader2 = await errors.ExecuteReaderAsync();
            while (await reader2.ReadAsync())
            {
                topErrors.Add((reader2.GetString(0), reader2.GetInt64(1)));
            }
        }

        var expected = (long)tasks * seconds;
        var lost = expected - distinctFires;
        var succeeded = byStatus.GetValueOrDefault("succeeded");
        var rows = report.Table("End to end (runs table after a graceful stop)", "tasks", "expected fires", "run rows", "succeeded", "runs/s stored", "fires with no cron run", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "host CPU %", "host peak RSS MB");
        rows.Add([Fmt.N(tasks), Fmt.N(expected), Fmt.N(rowsInWindow), Fmt.N(succeeded), Report.Format(succeeded / (double)seconds), Fmt.N(lost),
            Fmt.Ms(lateness.PercentileMs(50)), Fmt.Ms(lateness.PercentileMs(99)), Fmt.Ms(lateness.PercentileMs(99.9)), Fmt.Ms(lateness.MaxMs), Report.Format(cpu), Report.Format(rss)]);
        var statuses = report.Table("Run rows by status", "status", "rows");
        foreach (var (status, count) in byStatus)
        {
            statuses.Add([status, Fmt.N(count)]);
        }

        if (topErrors.Count > 0)
        {
            var errorRows = report.Table("Why runs did not succeed (most frequent)", "error", "runs");
            foreach (var (error, count) in topErrors)
            {
                errorRows.Add([error.Replace('|', '/').ReplaceLineEndings(" "), Fmt.N(count)]);
            }
        }

        report.Note($"misfire rows (fires skipped because the scheduler fell more than Tasks:MisfireThreshold behind; one row stands for a task's skipped fires): {Fmt.N(misfireRows)}");
        report.Curve($"{Fmt.N(tasks)} shell tasks", lateness);
        report.Note("lateness here is the agent's recorded start (ms resolution in the store) minus the scheduled instant, so it includes spawning the process");
        report.Target("every fire ran (none skipped by the misfire policy, none missing)", "0", Fmt.N(lost), lost == 0);
        report.Summary("tasks", tasks);
        report.Summary("expected", expected);
        report.Summary("stored", rowsInWindow);
        report.Summary("succeeded", succeeded);
        report.Summary("runs_per_s", succeeded / (double)seconds);
        report.Summary("lost", lost);
        report.Summary("not_succeeded", rowsInWindow - succeeded);
        report.Summary("misfire_rows", misfireRows);
        report.Summary("p50_ms", lateness.PercentileMs(50));
        report.Summary("p99_ms", lateness.PercentileMs(99));
        report.Summary("max_ms", lateness.MaxMs);
        report.Summary("host_cpu_pct", cpu);
        report.Summary("peak_rss_mb", rss);
        return report;
    }
}
