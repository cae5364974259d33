using System.Net;
using static GopherCron.EndToEnd.Tests.Api;

namespace GopherCron.EndToEnd.Tests;

/// <summary>What survives a restart of the embedded host, clean or crashed.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly string _data = NewDataDirectory();

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task A_restarted_host_keeps_users_projects_tasks_runs_and_output()
    {
        long project, task;
        int runsBefore;
        await using (var host = await StartHostAsync(_data))
        {
            using var client = await LoginAsync(host);
            await PostAsync(client, "/api/v1/auth/password", new { currentPassword = "123456", newPassword = "changed-it" }, HttpStatusCode.NoContent);
            project = await CreateProjectAsync(client, "kept");
            task = await CreateTaskAsync(client, project, new { name = "keeper", cron = "* * * * * *", config = new { command = "echo kept" } });
            var runs = await EventuallyAsync(() => RunsAsync(client, project, task), r => r.Count(x => x!.Status() == "succeeded") >= 2,
                TimeSpan.FromSeconds(15), "two runs");
            runsBefore = runs.Count;
            await PostAsync(client, $"/api/v1/projects/{project}/tasks/{task}/pause", null);
        }

        await using (var host = await StartHostAsync(_data))
        {
            using var client = await LoginAsync(host, "changed-it");
            (await GetAsync(client, $"/api/v1/projects/{project}"))["name"]!.GetValue<string>().ShouldBe("kept");
            var saved = await GetAsync(client, $"/api/v1/projects/{project}/tasks/{task}");
            saved["name"]!.GetValue<string>().ShouldBe("keeper");
            saved["enabled"]!.GetValue<bool>().ShouldBeFalse();

            var runs = await RunsAsync(client, project, task);
            runs.Count.ShouldBeGreaterThanOrEqualTo(runsBefore);
            var succeeded = runs.First(r => r!.Status() == "succeeded")!;
            (await OutputAsync(client, succeeded["id"]!.GetValue<long>())).ShouldBe("kept\n");
            runs.ShouldNotContain(r => r!.Status() == "running" || r!.Status() == "pending");
        }
    }

    [Fact]
    public async Task A_run_interrupted_by_a_crash_is_marked_lost_at_the_next_start()
    {
        long project, task, runId;
        await using (var host = await StartHostAsync(_data))
        {
            using var client = await LoginAsync(host);
            project = await CreateProjectAsync(client, "crash");
            task = await CreateTaskAsync(client, project, new { name = "victim", cron = "0 0 1 1 *", enabled = false, config = new { command = "sleep 163" } });
            runId = (await PostAsync(client, $"/api/v1/projects/{project}/tasks/{task}/run", null, HttpStatusCode.Accepted))["runId"]!.GetValue<long>();
            await EventuallyAsync(() => GetAsync(client, $"/api/v1/runs/{runId}"), r => r.Status() == "running", TimeSpan.FromSeconds(15), "the run to start");
            await host.KillAsync();
        }

        // The crashed host's shell lives on in its own process group, as a real orphan would; clean it up.
        foreach (var pid in GopherCron.Testing.ProcessTable.Find("sleep 163"))
        {
            System.Diagnostics.Process.GetProcessById(pid).Kill();
        }

        await using (var host = await StartHostAsync(_data))
        {
            using var client = await LoginAsync(host);
            var run = await EventuallyAsync(() => GetAsync(client, $"/api/v1/runs/{runId}"), r => r.Status() != "running",
                TimeSpan.FromSeconds(15), "the interrupted run to settle");
            run.Status().ShouldBe("lost");
            run["error"]!.GetValue<string>().ShouldContain("no agent holds this run");
        }
    }
}
