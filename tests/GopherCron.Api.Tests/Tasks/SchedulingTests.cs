using System.Net;
using System.Text.Json;
using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.Tasks;

/// <summary>The real scheduler firing real shell commands through the embedded agent.</summary>
public sealed class SchedulingTests(GopherCronApp app) : IClassFixture<GopherCronApp>
{
    [Fact]
    public async Task An_every_second_task_runs_each_second_on_time_and_keeps_its_output()
    {
        var (client, project) = await ProjectAsync();
        var taskId = await client.CreateTaskIdAsync(project, TaskApi.ShellTask("* * * * * *", "echo hello; sleep 0.2"));

        var runs = await TaskApi.EventuallyAsync(
            () => client.RunsAsync(project, taskId), r => r.Count(x => x.Status() == "succeeded") >= 3,
            "three succeeded runs", TimeSpan.FromSeconds(8));
        await client.DeleteAsync($"/api/v1/projects/{project}/tasks/{taskId}");

        var succeeded = runs.Where(r => r.Status() == "succeeded").ToList();
        succeeded.Select(r => r.ScheduledAt()).Distinct().Count().ShouldBe(succeeded.Count);
        foreach (var run in succeeded)
        {
            run.Trigger().ShouldBe("cron");
            (run.ScheduledAt().ToUnixTimeMilliseconds() % 1000).ShouldBe(0, $"scheduledAt {run.ScheduledAt():O} is not on a whole second");
            var lateness = run.StartedAt()!.Value - run.ScheduledAt();
            lateness.ShouldBeGreaterThanOrEqualTo(TimeSpan.Zero);
            lateness.ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(1), $"run {run.Id()} started {lateness.TotalMilliseconds} ms after its fire");
            run.GetProperty("exitCode").GetInt32().ShouldBe(0);
            run.GetProperty("agent").GetString().ShouldNotBeNullOrEmpty();
            (await client.OutputAsync(run.Id())).ShouldBe("hello\n");
        }
    }

    [Fact]
    public async Task Pause_stops_the_fires_and_resume_starts_them_again()
    {
        var (client, project) = await ProjectAsync();
        var taskId = await client.CreateTaskIdAsync(project, TaskApi.ShellTask("* * * * * *", "echo paused-task"));
        await client.WaitForRunsAsync(project, taskId, r => r.Count >= 2, "two fires before the pause");

        var paused = await client.PostAsync($"/api/v1/projects/{project}/tasks/{taskId}/pause", null);

        await paused.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var task = await paused.ReadJsonAsync();
        task.GetProperty("enabled").GetBoolean().ShouldBeFalse();
        task.GetProperty("nextFireAt").ValueKind.ShouldBe(JsonValueKind.Null);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var whilePaused = (await client.RunsAsync(project, taskId)).Count;
        await Task.Delay(TimeSpan.FromSeconds(3));
        (await client.RunsAsync(project, taskId)).Count.ShouldBe(whilePaused);

        var resumed = await client.PostAsync($"/api/v1/projects/{project}/tasks/{taskId}/resume", null);

        await resumed.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await resumed.ReadJsonAsync()).GetProperty("enabled").GetBoolean().ShouldBeTrue();
        var after = await client.WaitForRunsAsync(project, taskId, r => r.Count >= whilePaused + 2, "fires after the resume");
        // Fires that fell while paused are not caught up.
        after.ShouldAllBe(r => r.Trigger() == "cron");
        await client.DeleteAsync($"/api/v1/projects/{project}/tasks/{taskId}");
    }

    [Fact]
    public async Task Overlap_forbid_skips_fires_while_a_run_is_in_progress_and_never_runs_two_at_once()
    {
        var (client, project) = await ProjectAsync();
        var taskId = await client.CreateTaskIdAsync(project, TaskApi.ShellTask("* * * * * *", "sleep 3", extra: new { overlap = "forbid" }));

        var maxRunning = 0;
        var runs = await TaskApi.EventuallyAsync(
            async () =>
            {
                var seen = await client.RunsAsync(project, taskId);
                maxRunning = Math.Max(maxRunning, seen.Count(r => r.Status() == "running"));
                return seen;
            },
            r => r.Count(x => x.Status() == "succeeded") >= 2 && r.Count(x => x.Status() == "skipped") >= 2,
            "two finished and two skipped runs");
        await client.PostAsync($"/api/v1/projects/{project}/tasks/{taskId}/pause", null);

        maxRunning.ShouldBeLessThanOrEqualTo(1);
        var skipped = runs.Where(r => r.Status() == "skipped").ToList();
        skipped.ShouldAllBe(r => r.Error()!.Contains("overlap"));
        skipped.ShouldAllBe(r => r.Trigger() == "cron");
        var ran = runs.Where(r => r.Status() == "succeeded").OrderBy(r => r.StartedAt()).ToList();
        for (var i = 1; i < ran.Count; i++)
        {
            var previousEnd = ran[i - 1].GetProperty("finishedAt").GetDateTimeOffset();
            ran[i].StartedAt()!.Value.ShouldBeGreaterThanOrEqualTo(previousEnd, $"run {ran[i].Id()} started before run {ran[i - 1].Id()} ended");
        }
    }

    [Fact]
    public async Task Overlap_replace_kills_the_run_in_progress_when_the_next_fire_comes()
    {
        var (client, project) = await ProjectAsync();
        var taskId = await client.CreateTaskIdAsync(project, TaskApi.ShellTask("*/2 * * * * *", "sleep 30", extra: new { overlap = "replace" }));

        var runs = await client.WaitForRunsAsync(project, taskId, r => r.Count(x => x.Status() == "killed") >= 2, "two replaced runs");
        await client.DeleteAsync($"/api/v1/projects/{project}/tasks/{taskId}");

        var killed = runs.Where(r => r.Status() == "killed").ToList();
        killed.ShouldAllBe(r => r.Error()!.Contains("replace"));
        // Each replaced run was followed by a newer one: the newest run is never the one replaced.
        runs.Last().Status().ShouldNotBe("killed");
        foreach (var run in runs.Where(r => r.Status() == "running"))
        {
            await client.PostAsync($"/api/v1/runs/{run.Id()}/kill", null);
        }
    }

    private async Task<(HttpClient Client, long Project)> ProjectAsync()
    {
        var (_, client) = await app.CreateUserClientAsync();
        return (client, (await GopherCronApp.CreateProjectAsync(client)).Id);
    }
}
