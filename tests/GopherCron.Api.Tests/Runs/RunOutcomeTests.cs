using System.Net;
using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.Runs;

/// <summary>Run now, and how runs end: success, exit codes, timeouts, retries and kills, as the run history shows them.</summary>
public sealed class RunOutcomeTests(GopherCronApp app) : IClassFixture<GopherCronApp>
{
    // A schedule that does not fire during a test: these tasks run only when asked.
    private const string Never = "0 0 1 1 *";

    [Fact]
    public async Task Run_now_answers_202_with_the_run_and_works_on_a_paused_task()
    {
        var (client, project) = await ProjectAsync();
        var taskId = await client.CreateTaskIdAsync(project, TaskApi.ShellTask(Never, "echo manual run"));
        await (await client.PostAsync($"/api/v1/projects/{project}/tasks/{taskId}/pause", null)).ShouldHaveStatusAsync(HttpStatusCode.OK);

        var response = await client.PostAsync($"/api/v1/projects/{project}/tasks/{taskId}/run", null);

        await response.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        var runId = (await response.ReadJsonAsync()).GetProperty("runId").GetInt64();
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/runs/{runId}");
        var run = await client.WaitForEndAsync(runId);
        run.Status().ShouldBe("succeeded");
        run.Trigger().ShouldBe("manual");
        run.GetProperty("taskId").GetInt64().ShouldBe(taskId);
        run.GetProperty("exitCode").GetInt32().ShouldBe(0);
        (await client.OutputAsync(runId)).ShouldBe("manual run\n");
        (await client.RunsAsync(project, taskId)).ShouldHaveSingleItem().Id().ShouldBe(runId);
    }

    [Fact]
    public async Task A_non_zero_exit_fails_the_run_with_its_exit_code()
    {
        var (client, project) = await ProjectAsync();
        var taskId = await client.CreateTaskIdAsync(project, TaskApi.ShellTask(Never, "echo about to fail; exit 3"));

        var run = await client.WaitForEndAsync(await client.RunNowAsync(project, taskId));

        run.Status().ShouldBe("failed");
        run.GetProperty("exitCode").GetInt32().ShouldBe(3);
        run.Error()!.ShouldContain("3");
        run.Error()!.ShouldContain("exit");
        (await client.OutputAsync(run.Id())).ShouldBe("about to fail\n");
    }

    [Fact]
    public async Task A_run_past_its_timeout_is_stopped_and_marked_timed_out()
    {
        var (client, project) = await ProjectAsync();
        var taskId = await client.CreateTaskIdAsync(project, TaskApi.ShellTask(Never, "sleep 31", extra: new { timeoutSeconds = 1 }));

        var run = await client.WaitForEndAsync(await client.RunNowAsync(project, taskId));

        run.Status().ShouldBe("timedOut");
        var took = run.GetProperty("finishedAt").GetDateTimeOffset() - run.StartedAt()!.Value;
        took.ShouldBeLessThan(TimeSpan.FromSeconds(15), "the timeout did not stop the 31 s sleep");
    }

    [Fact]
    public async Task A_failed_run_is_retried_as_often_as_the_policy_says_each_retry_pointing_at_the_previous_run()
    {
        var (client, project) = await ProjectAsync();
        var taskId = await client.CreateTaskIdAsync(project, TaskApi.ShellTask(Never, "echo retry-me; exit 1",
            extra: new { retry = new { attempts = 2, backoffSeconds = 0 } }));

        var first = await client.RunNowAsync(project, taskId);
        var runs = await client.WaitForRunsAsync(project, taskId,
            r => r.Count >= 3 && r.All(x => TaskApi.TerminalStatuses.Contains(x.Status())), "three ended runs");
        await Task.Delay(TimeSpan.FromSeconds(2));
        runs = await client.RunsAsync(project, taskId);

        runs.Count.ShouldBe(3);
        runs[0].Id().ShouldBe(first);
        runs.Select(r => r.GetProperty("attempt").GetInt32()).ShouldBe([1, 2, 3]);
        runs.Select(r => r.Trigger()).ShouldBe(["manual", "retry", "retry"]);
        runs.ShouldAllBe(r => r.Status() == "failed");
        runs[0].GetProperty("parentRunId").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        runs[1].GetProperty("parentRunId").GetInt64().ShouldBe(runs[0].Id());
        runs[2].GetProperty("parentRunId").GetInt64().ShouldBe(runs[1].Id());
    }

    [Fact]
    public async Task Killing_a_running_run_stops_it_and_a_second_kill_is_a_conflict()
    {
        var (client, project) = await ProjectAsync();
        var taskId = await client.CreateTaskIdAsync(project, TaskApi.ShellTask(Never, "sleep 60"));
        var runId = await client.RunNowAsync(project, taskId);
        await client.WaitForStatusAsync(runId, "running");

        var kill = await client.PostAsync($"/api/v1/runs/{runId}/kill", null);

        await kill.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        var run = await client.WaitForEndAsync(runId);
        run.Status().ShouldBe("killed");
        (run.GetProperty("finishedAt").GetDateTimeOffset() - run.StartedAt()!.Value).ShouldBeLessThan(TimeSpan.FromSeconds(30));
        await (await client.PostAsync($"/api/v1/runs/{runId}/kill", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await client.PostAsync("/api/v1/runs/987654321/kill", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/v1/runs/987654321")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_run_history_filters_by_status_and_pages_newest_first()
    {
        var (client, project) = await ProjectAsync();
        var ok = await client.CreateTaskIdAsync(project, TaskApi.ShellTask(Never, "echo history"));
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await client.RunNowAsync(project, ok));
        }

        foreach (var id in ids)
        {
            await client.WaitForEndAsync(id);
        }

        var page = await (await client.GetAsync($"/api/v1/projects/{project}/tasks/{ok}/runs?page=1&pageSize=2&status=succeeded")).ReadJsonAsync();
        page.GetProperty("total").GetInt64().ShouldBe(3);
        page.GetProperty("items").EnumerateArray().Select(r => r.Id()).ShouldBe([ids[2], ids[1]]);
        var failed = await (await client.GetAsync($"/api/v1/projects/{project}/tasks/{ok}/runs?status=failed")).ReadJsonAsync();
        failed.GetProperty("total").GetInt64().ShouldBe(0);
        await (await client.GetAsync($"/api/v1/projects/{project}/tasks/{ok}/runs?status=exploded")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "status");
    }

    private async Task<(HttpClient Client, long Project)> ProjectAsync()
    {
        var (_, client) = await app.CreateUserClientAsync();
        return (client, (await GopherCronApp.CreateProjectAsync(client)).Id);
    }
}
