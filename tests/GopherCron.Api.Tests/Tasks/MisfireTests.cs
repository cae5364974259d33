using System.Text.Json;
using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.Tasks;

/// <summary>
/// Host downtime: one store, two hosts one after the other. Fires missed while no host ran follow each task's misfire
/// policy, none is doubled, and runs cut off by the shutdown do not stay "running".
/// </summary>
public sealed class MisfireTests : IDisposable
{
    private readonly TestDatabase _store = TestDatabase.Create();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task After_downtime_fire_all_catches_up_every_missed_second_and_skip_records_one_skipped_fire()
    {
        long project, fireAll, skip, cutOff;
        DateTimeOffset stoppedAt;
        await using (var first = Host())
        {
            using var client = await first.AdminClientAsync();
            project = (await GopherCronApp.CreateProjectAsync(client)).Id;
            fireAll = await client.CreateTaskIdAsync(project, TaskApi.ShellTask("* * * * * *", "echo fire-all", extra: new { misfire = "fireAll" }));
            skip = await client.CreateTaskIdAsync(project, TaskApi.ShellTask("* * * * * *", "echo skip", extra: new { misfire = "skip" }));
            var sleeper = await client.CreateTaskIdAsync(project, TaskApi.ShellTask("0 0 1 1 *", "sleep 48"));
            cutOff = await client.RunNowAsync(project, sleeper);
            await client.WaitForStatusAsync(cutOff, "running");
            await client.WaitForRunsAsync(project, fireAll, r => r.Count(x => x.Status() == "succeeded") >= 2, "fire-all runs before the downtime");
            await client.WaitForRunsAsync(project, skip, r => r.Count(x => x.Status() == "succeeded") >= 2, "skip runs before the downtime");
            stoppedAt = DateTimeOffset.UtcNow;
        }

        await Task.Delay(TimeSpan.FromSeconds(3));

        await using var second = Host();
        using var admin = await second.AdminClientAsync();
        var startedAt = DateTimeOffset.UtcNow;
        await admin.WaitForRunsAsync(project, fireAll, r => r.Any(x => x.Trigger() == "cron" && x.ScheduledAt() > startedAt), "fire-all to fire on schedule again");
        await admin.WaitForRunsAsync(project, skip, r => r.Any(x => x.Trigger() == "cron" && x.ScheduledAt() > startedAt), "skip to fire on schedule again");
        await admin.PostAsync($"/api/v1/projects/{project}/tasks/{fireAll}/pause", null);
        await admin.PostAsync($"/api/v1/projects/{project}/tasks/{skip}/pause", null);
        var fireAllRuns = await admin.WaitForRunsAsync(project, fireAll, AllEnded, "fire-all runs to end");
        var skipRuns = await admin.WaitForRunsAsync(project, skip, AllEnded, "skip runs to end");

        // fireAll: every second from the first fire on is there exactly once, and the downtime's seconds ran as misfires.
        var fired = fireAllRuns.Select(r => r.ScheduledAt()).ToList();
        fired.Distinct().Count().ShouldBe(fired.Count, "a fire was doubled: " + Describe(fireAllRuns));
        var seconds = (int)(fired.Max() - fired.Min()).TotalSeconds;
        fired.Count.ShouldBe(seconds + 1, "a second was dropped: " + Describe(fireAllRuns));
        var caughtUp = fireAllRuns.Where(r => r.Trigger() == "misfire").ToList();
        caughtUp.Count.ShouldBeGreaterThanOrEqualTo(2, Describe(fireAllRuns));
        caughtUp.ShouldAllBe(r => r.Status() == "succeeded");
        caughtUp.ShouldContain(r => r.ScheduledAt() > stoppedAt && r.ScheduledAt() < startedAt);

        // skip: the gap is one skipped run that names the policy; nothing ran for it.
        var gap = skipRuns.Where(r => r.Trigger() == "misfire" && r.ScheduledAt() > stoppedAt.AddSeconds(-1)).ToList();
        gap.Count.ShouldBe(1, Describe(skipRuns));
        gap[0].Status().ShouldBe("skipped");
        gap[0].Error()!.ShouldContain("skip");
        skipRuns.Where(r => r.Trigger() == "misfire").ShouldAllBe(r => r.Status() == "skipped", Describe(skipRuns));
        skipRuns.Select(r => r.ScheduledAt()).ShouldBeUnique(Describe(skipRuns));
        gap[0].ScheduledAt().ShouldBeLessThan(startedAt);

        // The run cut off by the shutdown ended (killed by the agent's shutdown, or lost at the next start).
        var cut = await admin.WaitForEndAsync(cutOff);
        cut.Status().ShouldBeOneOf("killed", "lost");
    }

    private static bool AllEnded(List<JsonElement> runs) => runs.All(r => TaskApi.TerminalStatuses.Contains(r.Status()));

    private GopherCronApp Host() => new()
    {
        Database = _store,
        Settings =
        {
            ["Tasks:MisfireThreshold"] = "00:00:00.500",
            ["Tasks:AgentGracePeriod"] = "00:00:02",
        },
    };

    private static string Describe(IEnumerable<JsonElement> runs) =>
        string.Join(", ", runs.Select(r => $"{r.Id()}:{r.Status()}/{r.Trigger()}@{r.ScheduledAt():HH:mm:ss.fff}"));
}
