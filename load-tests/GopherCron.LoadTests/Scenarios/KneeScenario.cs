using System.Globalization;
using GopherCron.LoadTests.Harness;
using GopherCron.LoadTests.Systems;

namespace GopherCron.LoadTests.Scenarios;

/// <summary>
/// Raises the fire rate (more tasks on a 1-second schedule) until lateness p99 passes 100 ms or fires go missing;
/// the knee is the highest rate that still held, for GopherCron and each peer.
/// </summary>
internal static class KneeScenario
{
    public static async Task<Report> RunAsync(Context context)
    {
        var steps = context.Options.Ints("steps", [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000]);
        var systems = context.Options.Strings("systems", FiringSystems.All);
        var warmup = context.Options.Int("warmup", 5);
        var seconds = context.Options.Int("seconds", 10);
        var grace = context.Options.Int("grace", 3);
        var limitMs = context.Options.Double("limit-ms", 100);
        var report = new Report("knee", context.Command);
        report.Note($"steps {string.Join(", ", steps)} tasks (fires/s) on a 1-second cron; each step warm-up {warmup} s, measured {seconds} s; a step holds while p99 ≤ {limitMs} ms and at most 1 % of fires are missing");
        var (mysql, why) = context.MySql;
        if (mysql is null && systems.Contains(Peers.QuartzAdo))
        {
            report.Note($"quartz-ado skipped: {why}");
            systems = systems.Where(s => s != Peers.QuartzAdo).ToArray();
        }

        var rows = report.Table("Steps", "system", "tasks", "fires/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "missing", "duplicates", "CPU %", "peak RSS MB", "setup s", "held");
        var knees = report.Table("Knee (highest rate that held)", "system", "knee fires/s", "first step that failed");
        var kneeOf = new Dictionary<string, (double Rate, bool Reached)>();
        foreach (var name in systems)
        {
            double knee = 0;
            string failedAt = "none (not reached)";
            foreach (var n in steps)
            {
                bool held;
                try
                {
                    await using var system = await FiringSystems.StartAsync(name, n, context.Work("knee"), mysql);
                    var r = await FireMeasurement.MeasureAsync(system, n, warmup, seconds, grace);
                    held = r.Lateness.PercentileMs(99) <= limitMs && r.Missing <= r.Expected / 100;
                    rows.Add([name, .. LatenessScenario.Row(r), held ? "yes" : "no"]);
                    Console.Error.WriteLine($"[knee] {name} {n}: p99 {Fmt.Ms(r.Lateness.PercentileMs(99))} ms, {r.FiresPerSecond:0} fires/s, missing {r.Missing} -> {(held ? "held" : "knee")}");
                    if (held)
                    {
                        knee = Math.Max(knee, r.FiresPerSecond);
                    }
                }
                catch (Exception e)
                {
                    held = false;
                    rows.Add([name, Fmt.N(n), "failed: " + PeersScenario.FirstLine(e.Message), "", "", "", "", "", "", "", "", "", "no"]);
                }

                if (!held)
                {
                    failedAt = Fmt.N(n);
                    break;
                }
            }

            kneeOf[name] = (knee, failedAt != "none (not reached)");
            knees.Add([name, Fmt.N((long)knee), failedAt]);
            report.Summary($"knee_{name.Replace('-', '_')}", (long)knee);
        }

        if (kneeOf.TryGetValue(FiringSystems.GopherCron, out var ours))
        {
            var peers = kneeOf.Where(k => k.Key != FiringSystems.GopherCron).ToList();
            // Ahead means a higher knee, or still holding at a rate where the peer had already given way.
            var ahead = peers.All(p => ours.Rate > p.Value.Rate || (!ours.Reached && p.Value.Reached && ours.Rate >= p.Value.Rate));
            report.Target("GopherCron's knee above every peer's", "every peer",
                string.Join(", ", kneeOf.Select(k => $"{k.Key} {Fmt.N((long)k.Value.Rate)}{(k.Value.Reached ? "" : "+")}")), ahead);
            report.Summary("ahead_on_knee", ahead ? "yes" : "no");
        }

        report.Summary("limit_ms", limitMs.ToString(CultureInfo.InvariantCulture));
        return report;
    }
}
