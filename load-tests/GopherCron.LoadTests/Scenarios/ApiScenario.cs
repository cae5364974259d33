using System.Globalization;
using System.Net.Http.Json;
using GopherCron.LoadTests.Harness;
using GopherCron.LoadTests.Systems;

namespace GopherCron.LoadTests.Scenarios;

/// <summary>
/// Mixed REST reads and writes at a fixed rate against the embedded default while it fires: 50 % list tasks, 30 %
/// get a task's runs, 10 % create a task, 10 % update a task. Open model (ramp, then constant).
/// </summary>
internal static class ApiScenario
{
    private static readonly string[] Kinds = ["list tasks", "get runs", "create task", "update task"];

    public static async Task<Report> RunAsync(Context context)
    {
        var rate = context.Options.Double("rate", 1000);
        var seconds = context.Options.Int("seconds", 30);
        var ramp = context.Options.Int("warmup", 5);
        var tasks = context.Options.Int("tasks", 1000);
        var firing = context.Options.Int("firing", 100);
        var report = new Report("api", context.Command);
        report.ChartTitle = "API latency by percentile";
        report.Note($"{tasks} idle tasks (yearly cron) plus {firing} tasks firing every second (noop) so runs accumulate; ramp 0 → {rate} req/s over {ramp} s (not measured), then {rate} req/s for {seconds} s; latency from each request's intended send time; the client runs on the same 2 cores");

        var data = Path.Combine(context.Work("api"), "host");
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }

        var build = HostBuild.FromEnvironment();
        var (projectId, firstTask) = await GopherCronHost.PrepareAsync(build, data, tasks,
            new { name = "bench-0", cron = "0 0 0 1 1 *", executor = "noop", config = new { } });
        await using var host = await GopherCronHost.StartAsync(build, data, recordPath: null);
        await host.LoginAsync();
        var firingIds = new List<long>();
        for (var i = 0; i < firing; i++)
        {
            firingIds.Add(await host.CreateTaskAsync(projectId, new { name = $"firing-{i}", cron = "* * * * * *", executor = "noop", config = new { } }));
        }

        var perKind = Kinds.ToDictionary(k => k, _ => new Latency());
        var cpuStart = ProcessMeter.CpuSeconds(host.ProcessId);
        var wall = System.Diagnostics.Stopwatch.StartNew();
        var outcome = await LoadSimulation.RunAsync(
            [LoadPhase.Ramp(0, rate, TimeSpan.FromSeconds(ramp)), LoadPhase.Constant(rate, TimeSpan.FromSeconds(seconds))],
            async (id, ct) =>
            {
                var kind = (id % 10) switch { < 5 => 0, < 8 => 1, 8 => 2, _ => 3 };
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                using var response = kind switch
                {
                    0 => await host.Http.GetAsync($"/api/v1/projects/{projectId}/tasks?page={1 + id % 20}&pageSize=20", ct),
                    1 => await host.Http.GetAsync($"/api/v1/projects/{projectId}/tasks/{firingIds[(int)(id % firingIds.Count)]}/runs?pageSize=20", ct),
                    2 => await host.Http.PostAsJsonAsync($"/api/v1/projects/{projectId}/tasks",
                        new { name = $"api-{id}", cron = "0 0 0 1 1 *", executor = "noop", config = new { } }, ct),
                    _ => await host.Http.PutAsJsonAsync($"/api/v1/projects/{projectId}/tasks/{firstTask + id % tasks}",
                        new { name = $"bench-{id % tasks}", cron = "0 0 0 1 1 *", executor = "noop", config = new { }, remark = $"updated by request {id}" }, ct),
                };
                perKind[Kinds[kind]].Record(System.Diagnostics.Stopwatch.GetElapsedTime(started));
                return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} ({Kinds[kind]})";
            },
            CancellationToken.None);
        var cpu = (ProcessMeter.CpuSeconds(host.ProcessId) - cpuStart) / wall.Elapsed.TotalSeconds * 100;
        var rss = ProcessMeter.PeakRssMb(host.ProcessId);

        var l = outcome.Latency;
        var achieved = outcome.Sent / outcome.MeasuredSeconds;
        var rows = report.Table("API latency (measured phase; from intended send time)", "requests", "req/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "errors", "host CPU %", "host peak RSS MB");
        rows.Add([Fmt.N(outcome.Sent), Report.Format(achieved), Fmt.Ms(l.PercentileMs(50)), Fmt.Ms(l.PercentileMs(99)), Fmt.Ms(l.PercentileMs(99.9)), Fmt.Ms(l.MaxMs), Fmt.N(outcome.Errors), Report.Format(cpu), Report.Format(rss)]);
        var kinds = report.Table("By request kind (service time, ramp included)", "kind", "count", "p50 ms", "p99 ms", "max ms");
        foreach (var (kind, latency) in perKind)
        {
            kinds.Add([kind, Fmt.N(latency.Count), Fmt.Ms(latency.PercentileMs(50)), Fmt.Ms(latency.PercentileMs(99)), Fmt.Ms(latency.MaxMs)]);
            report.Curve(kind, latency);
        }

        report.Curve("all (intended time)", l);
        if (outcome.ErrorKinds.Count > 0)
        {
            report.Note("errors: " + string.Join(", ", outcome.ErrorKinds.Select(e => $"{e.Key} ×{e.Value}")));
        }

        var p99 = l.PercentileMs(99);
        report.Target($"API p99 at {rate} req/s", "≤ 20 ms", $"{Fmt.Ms(p99)} ms", p99 <= 20 && outcome.Errors == 0);
        report.Summary("rate", rate);
        report.Summary("achieved_rps", achieved);
        report.Summary("requests", outcome.Sent);
        report.Summary("p50_ms", l.PercentileMs(50));
        report.Summary("p99_ms", p99);
        report.Summary("max_ms", l.MaxMs);
        report.Summary("errors", outcome.Errors);
        report.Summary("host_cpu_pct", cpu);
        return report;
    }
}
