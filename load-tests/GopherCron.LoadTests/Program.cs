// The load and benchmark harness. Run it through load-tests/run.sh, which builds the host, the noop plugin and this
// runner and sets GOPHERCRON_HOST_DLL and GOPHERCRON_BENCH_PLUGINS.
//
//   run.sh lateness [--tasks 1000,10000,100000] [--warmup 10] [--seconds 20]
//   run.sh peers    [--tasks 1000,10000] [--systems gophercron,quartz-ram,quartz-ado,hangfire-inmemory]
//   run.sh knee     [--steps 1000,2000,...] [--systems ...] [--limit-ms 100]
//   run.sh api      [--rate 1000] [--seconds 30] [--tasks 1000] [--firing 100]
//   run.sh e2e      [--tasks 1000] [--seconds 30]
//   run.sh smoke    every scenario, small and short (CI)
//
// Each scenario prints its report (markdown), writes report.md, report.json and chart.svg under load-tests/results/,
// and ends with one line of key=value figures starting "scenario=".
using GopherCron.LoadTests.Harness;
using GopherCron.LoadTests.Scenarios;
using GopherCron.LoadTests.Systems;

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: load-tests/run.sh <lateness|peers|knee|api|e2e|smoke|failover> [--option value ...]");
    return 2;
}

var options = new Options(args[1..]);
if (args[0] == "peer-child")
{
    return await Peers.RunChildAsync(options);
}

var root = Environment.GetEnvironmentVariable("GOPHERCRON_BENCH_ROOT") ?? Directory.GetCurrentDirectory();
var context = new Context(
    options,
    options.String("work", Path.Combine(Path.GetTempPath(), $"gophercron-bench-{Environment.ProcessId}")),
    options.String("results", Path.Combine(root, "results")),
    "load-tests/run.sh " + string.Join(' ', args));
try
{
    if (args[0] == "smoke")
    {
        return await SmokeScenario.RunAsync(context);
    }

    Func<Context, Task<Report>>? scenario = args[0] switch
    {
        "lateness" => LatenessScenario.RunAsync,
        "peers" => PeersScenario.RunAsync,
        "knee" => KneeScenario.RunAsync,
        "api" => ApiScenario.RunAsync,
        "e2e" => EndToEndScenario.RunAsync,
        _ => null,
    };
    if (scenario is null)
    {
        Console.Error.WriteLine($"unknown scenario '{args[0]}' (lateness, peers, knee, api, e2e, smoke, failover)");
        return 2;
    }

    var report = await scenario(context);
    report.Write(context.ResultsDirectory);
    return 0;
}
finally
{
    if (!options.Flag("keep-work") && Directory.Exists(context.WorkDirectory))
    {
        Directory.Delete(context.WorkDirectory, recursive: true);
    }
}
