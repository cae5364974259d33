using GopherCron.Testing;

namespace GopherCron.Cluster.Tests;

/// <summary>Agents and hosts that die or restart while runs are out.</summary>
public sealed class AgentFailureTests
{
    [Fact]
    public async Task A_run_on_an_agent_killed_mid_run_becomes_lost_after_the_grace()
    {
        await using var cluster = await Cluster.StartAsync(agentLostAfter: TimeSpan.FromSeconds(3));
        var project = await cluster.CreateProjectAsync("crash");
        var task = await cluster.CreateTaskAsync(project, "victim", "sleep 173");
        var agent = await cluster.StartAgentAsync("doomed", project);

        var runId = await cluster.RunNowAsync(project, task);
        await cluster.WaitForRunAsync(runId, 20, "running");
        await ProcessTable.WaitUntilRunningAsync("sleep 173");
        try
        {
            await agent.KillAsync();
            var run = await cluster.WaitForRunAsync(runId, 3 + 7, "lost", "failed", "succeeded", "killed");
            run.Status().ShouldBe("lost");
            run.Text("error")!.ShouldContain("agent doomed disconnected and did not come back within 3 s");
        }
        finally
        {
            // The dead agent's shell lives on in its own process group, as a real orphan would.
            ProcessTable.Kill(ProcessTable.Find("sleep 173"));
        }
    }

    [Fact]
    public async Task A_restarted_agent_reconnects_by_itself_and_takes_new_runs()
    {
        await using var cluster = await Cluster.StartAsync();
        var project = await cluster.CreateProjectAsync("restart");
        var task = await cluster.CreateTaskAsync(project, "again", "echo still here");
        var first = await cluster.StartAgentAsync("phoenix", project);
        (await cluster.WaitForRunAsync(await cluster.RunNowAsync(project, task), 20, "succeeded")).Text("agent").ShouldBe("phoenix");

        await first.StopAsync();
        first.Log.ShouldNotContain("not acknowledged");
        await cluster.StartAgentAsync("phoenix", project);

        var runId = await cluster.RunNowAsync(project, task);
        var run = await cluster.WaitForRunAsync(runId, 20, "succeeded", "failed", "lost");
        run.Status().ShouldBe("succeeded");
        run.Text("agent").ShouldBe("phoenix");
        (await cluster.OutputAsync(runId)).ShouldBe("still here\n");
    }

    [Fact]
    public async Task A_result_produced_while_the_host_was_down_is_delivered_after_it_comes_back()
    {
        await using var cluster = await Cluster.StartAsync();
        var project = await cluster.CreateProjectAsync("host-crash");
        var task = await cluster.CreateTaskAsync(project, "outlives-the-host", "sleep 3; echo done");
        var agent = await cluster.StartAgentAsync("steadfast", project);

        var runId = await cluster.RunNowAsync(project, task);
        await cluster.WaitForRunAsync(runId, 20, "running");
        await cluster.Host.KillAsync();
        var logMark = agent.Log.Length;
        await cluster.StartHostAsync();
        await agent.WaitForLogAsync("Connected to", after: logMark);

        var run = await cluster.WaitForRunAsync(runId, 30, "succeeded", "failed", "lost");
        run.Status().ShouldBe("succeeded", run.Text("error"));
        (await cluster.OutputAsync(runId)).ShouldBe("done\n");
    }
}
