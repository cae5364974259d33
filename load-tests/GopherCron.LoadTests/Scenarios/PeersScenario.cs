using System.Globalization;
using GopherCron.LoadTests.Harness;
using GopherCron.LoadTests.Systems;

namespace GopherCron.LoadTests.Scenarios;

/// <summary>The lateness workload on GopherCron and each peer in the same run, side by side, with ratios.</summary>
internal static class PeersScenario
{
    public static async Task<Report> RunAsync(Context context)
    {
        var counts = context.Options.Ints("tasks", [1_000, 10_000]);
        var systems = context.Options.Strings("systems", FiringSystems.All);
        var warmup = context.Options.Int("warmup", 10);
        var seconds = context.Options.Int("seconds", 20);
        var grace = context.Options.Int("grace", 5);
        var report = new Report("peers", context.Command);
        report.Note($"same workload for every system: N no-op jobs on a 1-second cron, warm-up {warmup} s, measured {seconds} s, grace {grace} s; each system in its own process");
        report.Note("Quartz.NET 4.7.3: 10 threads, batchTriggerAcquisitionMaxCount 10; quartz-ado is JobStoreTX clustered on MariaDB (a fresh database, the harness's own DDL). Hangfire 1.8.25 + Hangfire.InMemory 1.0.0: default workers, SchedulePollingInterval 100 ms");
        var (mysql, why) = context.MySql;
        if (mysql is null && systems.Contains(Peers.QuartzAdo))
        {
            report.Note($"quartz-ado skipped: {why}");
            systems = systems.Where(s => s != Peers.QuartzAdo).ToArray();
        }

        var rows = report.Table("Side by side", "system", "tasks", "fires/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "missing", "duplicates", "CPU % (of one core)", "peak RSS MB", "setup s");
        var results = new List<FireResult>();
        var failures = new List<string>();
        foreach (var n in counts)
        {
            foreach (var name in systems)
            {
                try
                {
                    await using var system = await FiringSystems.StartAsync(name, n, context.Work("peers"), mysql);
                    var r = await FireMeasurement.MeasureAsync(system, n, warmup, seconds, grace);
                    results.Add(r);
                    rows.Add([name, .. LatenessScenario.Row(r)]);
                    if (n == counts.Max())
                    {
                        report.Curve($"{name} ({Fmt.N(n)})", r.Lateness);
                    }

                    Console.Error.WriteLine($"[peers] {name} {n} tasks: p99 {Fmt.Ms(r.Lateness.PercentileMs(99))} ms, {r.FiresPerSecond:0} fires/s, missing {r.Missing}");
                }
                catch (Exception e)
                {
                    // A peer that cannot carry the load is a finding; the harness goes on with the others.
                    failures.Add($"{name}@{n}");
                    rows.Add([name, Fmt.N(n), "failed: " + FirstLine(e.Message), "", "", "", "", "", "", "", "", ""]);
                    report.Note($"{name} with {n} tasks failed: {FirstLine(e.Message)}");
                }
            }
        }

        var ratios = report.Table("Ratios (peer ÷ GopherCron; above 1 means GopherCron is ahead on lateness, below 1 on fires/s means the peer fired less)",
            "peer", "tasks", "p50 ratio", "p99 ratio", "p99.9 ratio", "fires/s ratio");
        var ahead = true;
        foreach (var ours in results.Where(r => r.System == FiringSystems.GopherCron))
        {
            foreach (var peer in results.Where(r => r.System != FiringSystems.GopherCron && r.Tasks == ours.Tasks))
            {
                ratios.Add([peer.System, Fmt.N(ours.Tasks),
                    Ratio(peer.Lateness.PercentileMs(50), ours.Lateness.PercentileMs(50)),
                    Ratio(peer.Lateness.PercentileMs(99), ours.Lateness.PercentileMs(99)),
                    Ratio(peer.Lateness.PercentileMs(99.9), ours.Lateness.PercentileMs(99.9)),
                    Ratio(peer.FiresPerSecond, ours.FiresPerSecond)]);
                ahead &= ours.Lateness.PercentileMs(99) < peer.Lateness.PercentileMs(99) && ours.Missing <= peer.Missing;
                var key = $"{peer.System.Replace('-', '_')}_{ours.Tasks.ToString(CultureInfo.InvariantCulture)}";
                report.Summary($"p99_ms_{key}", peer.Lateness.PercentileMs(99));
            }

            report.Summary($"p99_ms_gophercron_{ours.Tasks.ToString(CultureInfo.InvariantCulture)}", ours.Lateness.PercentileMs(99));
        }

        report.Target("GopherCron ahead of every peer on lateness (p99, and no more missing fires)", "every peer, every N", ahead ? "ahead of all" : "not ahead of all (see ratios)", ahead);
        report.Summary("ahead_on_lateness", ahead ? "yes" : "no");
        report.Summary("failed", failures.Count == 0 ? "none" : string.Join(',', failures));
        return report;
    }

    private static string Ratio(double peer, double ours) =>
        double.IsNaN(peer) || double.IsNaN(ours) || ours <= 0 ? "–" : (peer / ours).ToString("0.##", CultureInfo.InvariantCulture) + "×";

    public static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
