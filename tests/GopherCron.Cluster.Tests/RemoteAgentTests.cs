using GopherCron.Testing;

namespace GopherCron.Cluster.Tests;

/// <summary>A real host and real standalone agents on loopback: authentication, dispatch, parallel runs and kill.</summary>
public sealed class RemoteAgentTests
{
    [Fact]
    public async Task An_agent_with_a_wrong_token_is_refused_and_keeps_retrying()
    {
        await using var cluster = await Cluster.StartAsync();
        var project = await cluster.CreateProjectAsync("refused");
        var task = await cluster.CreateTaskAsync(project, "nobody-runs-me", "echo never");

        var agent = await cluster.StartAgentAsync("intruder", project, token: "not-the-token", waitConnected: false);
        var expected = $"project {project}: token rejected by host — check the project token";
        await agent.WaitForLogAsync(expected);
        await agent.WaitForLogAsync(expected, after: agent.Log.IndexOf(expected, StringComparison.Ordinal) + expected.Length);
        agent.HasExited.ShouldBeFalse();

        var run = await cluster.WaitForRunAsync(await cluster.RunNowAsync(project, task), 15, "failed");
        run.Text("error")!.ShouldContain("no agent online");
    }

    [Fact]
    public async Task A_task_runs_on_a_remote_agent()
    {
        await using var cluster = await Cluster.StartAsync();
        var project = await cluster.CreateProjectAsync("remote");
        var task = await cluster.CreateTaskAsync(project, "hello", "echo hello from afar");
        await cluster.StartAgentAsync("far-away", project);

        var runId = await cluster.RunNowAsync(project, task);
        var run = await cluster.WaitForRunAsync(runId, 20, "succeeded", "failed", "lost");
        run.Status().ShouldBe("succeeded");
        run.Text("agent").ShouldBe("far-away");
        (await cluster.OutputAsync(runId)).ShouldBe("hello from afar\n");
    }

    [Fact]
    public async Task Run_now_of_a_parallel_task_runs_once_on_each_agent()
    {
        await using var cluster = await Cluster.StartAsync();
        var project = await cluster.CreateProjectAsync("broadcast");
        var task = await cluster.CreateTaskAsync(project, "everywhere", "echo on $GOPHERCRON_RUN_ID", parallel: true);
        await cluster.StartAgentAsync("agent-a", project);
        await cluster.StartAgentAsync("agent-b", project);

        await cluster.RunNowAsync(project, task);
        var runs = await Cluster.EventuallyAsync(() => cluster.RunsAsync(project, task),
            r => r.Count == 2 && r.All(x => x!.Status() == "succeeded"), TimeSpan.FromSeconds(20), "two succeeded runs");
        runs.Select(r => r!.Text("agent")).Order().ShouldBe(["agent-a", "agent-b"]);
    }

    [Fact]
    public async Task A_kill_reaches_the_whole_process_tree_on_the_agents_machine()
    {
        await using var cluster = await Cluster.StartAsync();
        var project = await cluster.CreateProjectAsync("kill");
        var task = await cluster.CreateTaskAsync(project, "tree", "sleep 171 & sleep 172; wait");
        await cluster.StartAgentAsync("killer", project);

        var runId = await cluster.RunNowAsync(project, task);
        await ProcessTable.WaitUntilRunningAsync("sleep 171");
        await ProcessTable.WaitUntilRunningAsync("sleep 172");
        await cluster.KillRunAsync(runId);

        var run = await cluster.WaitForRunAsync(runId, 20, "killed", "failed", "lost", "succeeded");
        run.Status().ShouldBe("killed");
        await Cluster.EventuallyAsync(() => Task.FromResult(ProcessTable.Find("sleep 171").Concat(ProcessTable.Find("sleep 172")).ToList()),
            pids => pids.Count == 0, TimeSpan.FromSeconds(10), "the run's processes to be gone");
    }
}
