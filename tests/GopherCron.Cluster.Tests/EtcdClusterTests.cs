using System.Net;
using System.Text.Json.Nodes;
using GopherCron.Testing;

namespace GopherCron.Cluster.Tests;

/// <summary>A host and real agents discovering each other through a real etcd, through deaths and an etcd restart.</summary>
public sealed class EtcdClusterTests : IAsyncLifetime
{
    private EtcdProcess _etcd = null!;

    public async Task InitializeAsync() => _etcd = await EtcdProcess.StartAsync();

    public async Task DisposeAsync() => await _etcd.DisposeAsync();

    private static async Task<JsonArray> AgentsAsync(Cluster cluster, long projectId) =>
        JsonNode.Parse(await cluster.Client.GetStringAsync(new Uri($"/api/v1/projects/{projectId}/agents", UriKind.Relative)))!.AsArray();

    [Fact]
    public async Task Labels_and_weights_decide_which_agent_runs_a_task()
    {
        await using var cluster = await Cluster.StartAsync(etcd: _etcd.Endpoint);
        var project = await cluster.CreateProjectAsync("etcd-dispatch");
        await cluster.StartAgentAsync("agent-north", project, labels: "zone=north");
        await cluster.StartAgentAsync("agent-south", project, labels: "zone=south");

        var agents = await Cluster.EventuallyAsync(() => AgentsAsync(cluster, project), a => a.Count == 2, TimeSpan.FromSeconds(20), "both agents listed");
        foreach (var agent in agents)
        {
            agent!["connected"]!.GetValue<bool>().ShouldBeTrue();
            agent["labels"]!["zone"]!.GetValue<string>().ShouldBeOneOf("north", "south");
            (DateTimeOffset.UtcNow - agent["lastHeartbeatAt"]!.GetValue<DateTimeOffset>()).ShouldBeLessThan(TimeSpan.FromSeconds(10));
        }

        // Labels: only the south agent qualifies.
        var south = await cluster.CreateTaskAsync(project, "south-only", "echo south", labels: new { zone = "south" });
        for (var i = 0; i < 4; i++)
        {
            var run = await cluster.WaitForRunAsync(await cluster.RunNowAsync(project, south), 30, "succeeded", "failed");
            run["agent"]!.GetValue<string>().ShouldBe("agent-south");
        }

        // Weights: north at 0 receives nothing; then the other way round.
        var any = await cluster.CreateTaskAsync(project, "anywhere", "echo anywhere");
        await cluster.SendAsync(HttpMethod.Put, "/api/v1/agents/agent-north/weight", new { weight = 0 }, HttpStatusCode.OK);
        for (var i = 0; i < 4; i++)
        {
            (await cluster.WaitForRunAsync(await cluster.RunNowAsync(project, any), 30, "succeeded"))["agent"]!.GetValue<string>().ShouldBe("agent-south");
        }

        await cluster.SendAsync(HttpMethod.Put, "/api/v1/agents/agent-north/weight", new { weight = 100 }, HttpStatusCode.OK);
        await cluster.SendAsync(HttpMethod.Put, "/api/v1/agents/agent-south/weight", new { weight = 0 }, HttpStatusCode.OK);
        for (var i = 0; i < 4; i++)
        {
            (await cluster.WaitForRunAsync(await cluster.RunNowAsync(project, any), 30, "succeeded"))["agent"]!.GetValue<string>().ShouldBe("agent-north");
        }
    }

    [Fact]
    public async Task An_agent_killed_mid_run_is_noticed_through_its_expired_lease()
    {
        // The stream grace is long on purpose: only the etcd lease can settle the run this fast.
        await using var cluster = await Cluster.StartAsync(agentLostAfter: TimeSpan.FromMinutes(5), etcd: _etcd.Endpoint);
        var project = await cluster.CreateProjectAsync("etcd-death");
        var agent = await cluster.StartAgentAsync("agent-doomed", project);
        await Cluster.EventuallyAsync(() => AgentsAsync(cluster, project), a => a.Count == 1, TimeSpan.FromSeconds(20), "the agent listed");
        var task = await cluster.CreateTaskAsync(project, "long", "sleep 181");
        var runId = await cluster.RunNowAsync(project, task);
        await cluster.WaitForRunAsync(runId, 30, "running");

        await agent.KillAsync();
        var killedAt = DateTime.UtcNow;
        var run = await cluster.WaitForRunAsync(runId, 30, "lost");
        (DateTime.UtcNow - killedAt).ShouldBeLessThan(Cluster.LeaseTtl + TimeSpan.FromSeconds(6));
        run["error"]!.GetValue<string>().ShouldContain("registration in etcd expired");
        await Cluster.EventuallyAsync(() => AgentsAsync(cluster, project), a => a.Count == 0, TimeSpan.FromSeconds(10), "the dead agent to disappear");
        ProcessTable.Kill(ProcessTable.Find("sleep 181"));
    }

    [Fact]
    public async Task An_etcd_restart_does_not_stop_running_tasks_and_the_registry_recovers()
    {
        await using var cluster = await Cluster.StartAsync(etcd: _etcd.Endpoint);
        var project = await cluster.CreateProjectAsync("etcd-restart");
        await cluster.StartAgentAsync("agent-steady", project);
        await Cluster.EventuallyAsync(() => AgentsAsync(cluster, project), a => a.Count == 1, TimeSpan.FromSeconds(20), "the agent listed");
        var task = await cluster.CreateTaskAsync(project, "through", "sleep 6; echo made it");
        var runId = await cluster.RunNowAsync(project, task);
        await cluster.WaitForRunAsync(runId, 30, "running");

        await _etcd.StopAsync();
        await Task.Delay(Cluster.LeaseTtl + TimeSpan.FromSeconds(1));
        await _etcd.StartAgainAsync();
        var restarted = DateTimeOffset.UtcNow;

        var run = await cluster.WaitForRunAsync(runId, 30, "succeeded", "failed", "lost", "killed");
        run.Status().ShouldBe("succeeded");
        (await cluster.OutputAsync(runId)).ShouldBe("made it\n");
        var agents = await Cluster.EventuallyAsync(() => AgentsAsync(cluster, project),
            a => a.Count == 1 && a[0]!["lastHeartbeatAt"]!.GetValue<DateTimeOffset>() > restarted, TimeSpan.FromSeconds(30), "a heartbeat after the restart");
        agents[0]!["name"]!.GetValue<string>().ShouldBe("agent-steady");
        (await cluster.WaitForRunAsync(await cluster.RunNowAsync(project, task), 30, "succeeded"))["agent"]!.GetValue<string>().ShouldBe("agent-steady");
    }
}
