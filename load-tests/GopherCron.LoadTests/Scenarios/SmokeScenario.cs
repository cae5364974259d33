using GopherCron.LoadTests.Harness;

namespace GopherCron.LoadTests.Scenarios;

/// <summary>
/// Every scenario, small and short, so CI notices when the harness rots. It fails only when a scenario crashes or
/// produces no summary: a missed target is a finding, not a failure.
/// </summary>
internal static class SmokeScenario
{
    public static async Task<int> RunAsync(Context context)
    {
        (string Name, Func<Context, Task<Report>> Run, string[] Args)[] runs =
        [
            ("lateness", LatenessScenario.RunAsync, ["--tasks", "200", "--warmup", "1", "--seconds", "3", "--grace", "2"]),
            ("peers", PeersScenario.RunAsync, ["--tasks", "200", "--warmup", "1", "--seconds", "3", "--grace", "2"]),
            ("knee", KneeScenario.RunAsync, ["--steps", "100,300", "--systems", "gophercron,quartz-ram", "--warmup", "1", "--seconds", "2", "--grace", "2"]),
            ("api", ApiScenario.RunAsync, ["--rate", "100", "--seconds", "3", "--warmup", "1", "--tasks", "50", "--firing", "5"]),
            ("e2e", EndToEndScenario.RunAsync, ["--tasks", "20", "--warmup", "1", "--seconds", "3", "--grace", "3"]),
        ];
        var broken = new List<string>();
        var started = System.Diagnostics.Stopwatch.StartNew();
        foreach (var (name, run, args) in runs)
        {
            var inner = context with { Options = new Options(args), Command = $"load-tests/run.sh smoke ({name} {string.Join(' ', args)})" };
            try
            {
                var report = await run(inner);
                report.Write(Path.Combine(context.ResultsDirectory, "smoke"));
                if (!report.SummaryLine.Contains('='))
                {
                    broken.Add($"{name}: no summary");
                }
            }
            catch (Exception e)
            {
                broken.Add($"{name}: {e.GetType().Name}: {PeersScenario.FirstLine(e.Message)}");
                Console.Error.WriteLine($"[smoke] {name} crashed: {e}");
            }
        }

        foreach (var failure in broken)
        {
            Console.Error.WriteLine($"[smoke] harness broken: {failure}");
        }

        Console.WriteLine($"scenario=smoke scenarios={runs.Length} broken={broken.Count} seconds={started.Elapsed.TotalSeconds:0}");
        return broken.Count == 0 ? 0 : 1;
    }
}
