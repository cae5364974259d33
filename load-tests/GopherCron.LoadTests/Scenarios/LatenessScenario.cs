using GopherCron.LoadTests.Harness;
using GopherCron.LoadTests.Systems;

namespace GopherCron.LoadTests.Scenarios;

/// <summary>
/// N tasks on 1-second schedules with the no-op executor on the embedded default (SQLite, built-in agent): lateness
/// from the scheduled instant to the executor's start, fires per second, host CPU and peak RSS.
/// </summary>
internal static class LatenessScenario
{
    public static async Task<Report> RunAsync(Context context)
    {
        var counts = context.Options.Ints("tasks", [1_000, 10_000, 100_000]);
        var warmup = context.Options.Int("warmup", 10);
        var seconds = context.Options.Int("seconds", 20);
        var grace = context.Options.Int("grace", 5);
        var report = new Report("lateness", context.Command);
        report.Note($"GopherCron host (Release unless run.sh says otherwise), SQLite, built-in agent, noop executor; cron `* * * * * *` on every task (all N fire at the same instant each second); warm-up {warmup} s, measured {seconds} s, fires not started {grace} s after the window count as missing");
        var rows = report.Table("GopherCron lateness (scheduled instant → executor start)",
            "tasks", "fires/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "missing", "duplicates", "host CPU % (of one core)", "peak RSS MB", "setup s");
        var results = new List<FireResult>();
        foreach (var n in counts)
        {
            await using var system = await FiringSystems.StartAsync(FiringSystems.GopherCron, n, context.Work("lateness"), null);
            var r = await FireMeasurement.MeasureAsync(system, n, warmup, seconds, grace);
            results.Add(r);
            rows.Add(Row(r));
            report.Curve($"{Fmt.N(n)} tasks", r.Lateness);
            Console.Error.WriteLine($"[lateness] {n} tasks: p99 {Fmt.Ms(r.Lateness.PercentileMs(99))} ms, {r.FiresPerSecond:0} fires/s, missing {r.Missing}");
        }

        // Memory per task, apart from the backlog an overload builds: the same host with N tasks that do not fire.
        var idle = context.Options.Int("idle-rss", counts.Max());
        double? idleRss = null;
        if (idle > 0)
        {
            idleRss = await IdleRssAsync(context, idle, warmup + seconds);
            report.Table($"Host RSS with {Fmt.N(idle)} tasks loaded but not firing (yearly cron), after {warmup + seconds} s", "tasks", "peak RSS MB")
                .Add([Fmt.N(idle), Report.Format(idleRss.Value)]);
            report.Summary($"idle_peak_rss_mb_{idle.ToString(System.Globalization.CultureInfo.InvariantCulture)}", idleRss.Value);
        }

        foreach (var r in results)
        {
            var k = r.Tasks.ToString(System.Globalization.CultureInfo.InvariantCulture);
            report.Summary($"p50_ms_{k}", r.Lateness.PercentileMs(50));
            report.Summary($"p99_ms_{k}", r.Lateness.PercentileMs(99));
            report.Summary($"p999_ms_{k}", r.Lateness.PercentileMs(99.9));
            report.Summary($"max_ms_{k}", r.Lateness.MaxMs);
            report.Summary($"fires_per_s_{k}", r.FiresPerSecond);
            report.Summary($"missing_{k}", r.Missing);
            report.Summary($"cpu_pct_{k}", r.CpuPercent);
            report.Summary($"peak_rss_mb_{k}", r.PeakRssMb);
        }

        if (results.FirstOrDefault(r => r.Tasks == 10_000) is { } tenK)
        {
            var p99 = tenK.Lateness.PercentileMs(99);
            report.Target("lateness p99 at 10k tasks", "≤ 10 ms", $"{Fmt.Ms(p99)} ms", p99 <= 10);
        }

        var sustained = results.Where(r => r.Missing <= r.Expected / 1000).Select(r => r.FiresPerSecond).DefaultIfEmpty(0).Max();
        report.Target("fires/s sustained (no more than 0.1 % missing)", "≥ 10,000", Fmt.N((long)sustained), sustained >= 10_000);
        if (results.FirstOrDefault(r => r.Tasks == 100_000) is { } hundredK)
        {
            report.Target("host peak RSS with 100k tasks (all firing every second)", "≤ 300 MB", $"{hundredK.PeakRssMb:0} MB", hundredK.PeakRssMb <= 300);
        }

        if (idle == 100_000 && idleRss is { } rss)
        {
            report.Target("host peak RSS with 100k tasks (loaded, not firing)", "≤ 300 MB", $"{rss:0} MB", rss <= 300);
        }

        report.Summary("sustained_fires_per_s", sustained);
        return report;
    }

    private static async Task<double> IdleRssAsync(Context context, int tasks, int seconds)
    {
        var data = Path.Combine(context.Work("lateness"), $"idle-{tasks}");
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }

        var build = HostBuild.FromEnvironment();
        await GopherCronHost.PrepareAsync(build, data, tasks, new { name = "bench-0", cron = "0 0 0 1 1 *", executor = "noop", config = new { } });
        await using var host = await GopherCronHost.StartAsync(build, data, recordPath: null);
        await host.WaitSchedulingAsync(TimeSpan.FromMinutes(3));
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        return ProcessMeter.PeakRssMb(host.ProcessId);
    }

    public static string[] Row(FireResult r) =>
    [
        Fmt.N(r.Tasks), Fmt.N((long)r.FiresPerSecond), Fmt.Ms(r.Lateness.PercentileMs(50)), Fmt.Ms(r.Lateness.PercentileMs(99)),
        Fmt.Ms(r.Lateness.PercentileMs(99.9)), Fmt.Ms(r.Lateness.MaxMs), Fmt.N(r.Missing), Fmt.N(r.Duplicates),
        Report.Format(r.CpuPercent), Report.Format(r.PeakRssMb), Report.Format(r.SetupSeconds),
    ];
}
