using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GopherCron.Testing;
using Xunit.Abstractions;

namespace GopherCron.Cluster.Tests;

public sealed class HaClusterFixture : IAsyncLifetime
{
    internal HaCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await HaCluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// Failover on the production shape (three Raft replicas, MariaDB, etcd, two agents): a fire-all task ticks every
/// second throughout, and after each scenario the agents' own record must hold every second exactly once.
/// </summary>
public sealed class HaFailoverTests(HaClusterFixture fixture, ITestOutputHelper output) : IClassFixture<HaClusterFixture>
{
    // The promise is 2 s (measured by load-tests/failover/run.sh); CI runs other test assemblies beside this one on
    // two cores, so the bound here keeps a second of room for scheduling noise.
    private static readonly TimeSpan MaxLateness = TimeSpan.FromSeconds(3);
    private HaCluster Ha => fixture.Cluster;

    private async Task TickingAsync()
    {
        await global::GopherCron.Cluster.Tests.Cluster.EventuallyAsync(() => Task.FromResult(Ha.Executions()),
            e => e.Count(x => x.ExecutedAt > DateTimeOffset.UtcNow.AddSeconds(-3)) >= 2, TimeSpan.FromSeconds(30), "the task to tick");
    }

    private async Task WaitForExecutionsUntilAsync(DateTimeOffset scheduledAt) =>
        await global::GopherCron.Cluster.Tests.Cluster.EventuallyAsync(() => Task.FromResult(Ha.Executions()),
            e => e.Any(x => x.ScheduledAt >= scheduledAt), TimeSpan.FromSeconds(60), $"executions up to {scheduledAt:O}");

    private async Task RestoreAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            if (Ha.Replicas[i] is null)
            {
                await Ha.StartReplicaAsync(i);
            }
        }

        await Ha.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
    }

    private void ShouldBeOnTime(List<Execution> executions, DateTimeOffset from, string scenario)
    {
        var late = executions.Where(e => e.ScheduledAt > from).Select(e => e.ExecutedAt - e.ScheduledAt).DefaultIfEmpty().Max();
        output.WriteLine($"{scenario}: worst lateness of a fire due during the failover {late.TotalMilliseconds:0} ms");
        late.ShouldBeLessThanOrEqualTo(MaxLateness, $"a fire due during the failover ran {late.TotalMilliseconds:0} ms late");
    }

    [Fact]
    public async Task Leader_killed_the_new_leader_dispatches_at_once_and_every_instant_runs_once()
    {
        await RestoreAsync();
        await TickingAsync();
        var start = DateTimeOffset.UtcNow;
        var (leader, term) = await Ha.WaitForLeaderAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(1500);

        var killedAt = DateTimeOffset.UtcNow;
        await Ha.KillReplicaAsync(leader);
        var (next, newTerm) = await Ha.WaitForLeaderAsync(TimeSpan.FromSeconds(20));
        next.ShouldNotBe(leader);
        newTerm.ShouldBeGreaterThan(term);

        await WaitForExecutionsUntilAsync(killedAt.AddSeconds(5));
        var gap = Ha.GapAfter(killedAt);
        output.WriteLine($"SIGKILL of replica {leader} (term {term}) -> replica {next} (term {newTerm}); first execution {gap.TotalMilliseconds:0} ms after the kill");
        gap.ShouldBeLessThanOrEqualTo(MaxLateness + TimeSpan.FromSeconds(1), "the first execution after the kill (at most one period of waiting for the next instant)");
        var executions = Ha.ShouldHaveEverySecondOnce(start, killedAt.AddSeconds(5), "leader SIGKILL");
        ShouldBeOnTime(executions, killedAt, "SIGKILL");
    }

    [Fact]
    public async Task Leader_frozen_with_sigstop_then_resumed_can_neither_duplicate_nor_miss_a_fire()
    {
        await RestoreAsync();
        await TickingAsync();
        var start = DateTimeOffset.UtcNow;
        var (leader, term) = await Ha.WaitForLeaderAsync(TimeSpan.FromSeconds(10));
        var frozen = Ha.Replicas[leader]!;
        var others = Enumerable.Range(0, 3).Where(i => i != leader).ToList();

        var stoppedAt = DateTimeOffset.UtcNow;
        ProcessSignals.Send(frozen.ProcessId, ProcessSignals.SigStop).ShouldBeTrue();
        try
        {
            var (next, newTerm) = await Ha.WaitForLeaderAsync(TimeSpan.FromSeconds(20), others);
            newTerm.ShouldBeGreaterThan(term);
            await WaitForExecutionsUntilAsync(stoppedAt.AddSeconds(4));
            output.WriteLine($"SIGSTOP of replica {leader} (term {term}) -> replica {next} (term {newTerm}); first execution {Ha.GapAfter(stoppedAt).TotalMilliseconds:0} ms after the freeze");
        }
        finally
        {
            ProcessSignals.Send(frozen.ProcessId, ProcessSignals.SigCont);
        }

        // Resumed, the old leader still believes it leads until it hears the new term: whatever it tries then is fenced.
        var resumedAt = DateTimeOffset.UtcNow;
        var views = await global::GopherCron.Cluster.Tests.Cluster.EventuallyAsync(() => Ha.ViewsAsync([leader]),
            v => v.Count == 1 && v[0].Role == "follower", TimeSpan.FromSeconds(20), "the resumed replica to follow");
        views[0].Term.ShouldBeGreaterThan(term);
        await WaitForExecutionsUntilAsync(resumedAt.AddSeconds(4));
        var executions = Ha.ShouldHaveEverySecondOnce(start, resumedAt.AddSeconds(4), "leader SIGSTOP and SIGCONT");
        ShouldBeOnTime(executions, stoppedAt, "SIGSTOP");
        executions.Where(e => e.ScheduledAt > resumedAt).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task A_follower_restarting_does_not_disturb_the_schedule()
    {
        await RestoreAsync();
        await TickingAsync();
        var start = DateTimeOffset.UtcNow;
        var (leader, _) = await Ha.WaitForLeaderAsync(TimeSpan.FromSeconds(10));
        var follower = Enumerable.Range(0, 3).First(i => i != leader);
        await Ha.Replicas[follower]!.StopAsync();
        await Ha.Replicas[follower]!.DisposeAsync();
        Ha.Replicas[follower] = null;
        await Task.Delay(2000);
        await Ha.StartReplicaAsync(follower);
        var restartedAt = DateTimeOffset.UtcNow;
        var (stillLeader, _) = await Ha.WaitForLeaderAsync(TimeSpan.FromSeconds(10));
        stillLeader.ShouldBe(leader, "a follower's restart does not move leadership");
        await WaitForExecutionsUntilAsync(restartedAt.AddSeconds(3));
        var executions = Ha.ShouldHaveEverySecondOnce(start, restartedAt.AddSeconds(3), "follower restart");
        ShouldBeOnTime(executions, start, "follower restart");
    }

    [Fact]
    public async Task Without_quorum_nothing_runs_the_survivor_says_so_and_fire_all_catches_up_once_quorum_returns()
    {
        await RestoreAsync();
        await TickingAsync();
        var start = DateTimeOffset.UtcNow;
        var (leader, _) = await Ha.WaitForLeaderAsync(TimeSpan.FromSeconds(10));
        var survivor = Enumerable.Range(0, 3).First(i => i != leader);
        var other = Enumerable.Range(0, 3).First(i => i != leader && i != survivor);
        await Ha.KillReplicaAsync(leader);
        await Ha.KillReplicaAsync(other);
        var lostAt = DateTimeOffset.UtcNow;

        using var client = await Ha.ClientAsync(survivor);
        var view = await global::GopherCron.Cluster.Tests.Cluster.EventuallyAsync(
            async () => JsonNode.Parse(await client.GetStringAsync("/api/v1/cluster"))!.AsObject(),
            c => c["leader"] is null && c["hasQuorum"]!.GetValue<bool>() == false, TimeSpan.FromSeconds(20), "the survivor to report no quorum");
        view["message"]!.GetValue<string>().ShouldContain("No leader");
        (await client.GetStringAsync($"/api/v1/projects/{Ha.ProjectId}/tasks/{Ha.TaskId}")).ShouldContain("\"tick\"");
        using (var runNow = await client.PostAsync($"/api/v1/projects/{Ha.ProjectId}/tasks/{Ha.TaskId}/run", null))
        {
            runNow.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            runNow.Headers.RetryAfter.ShouldNotBeNull();
        }

        await Task.Delay(3000);
        var quiet = Ha.Executions().Where(e => e.ExecutedAt > lostAt.AddSeconds(1)).ToList();
        quiet.ShouldBeEmpty("nothing runs without a quorum");

        await Ha.StartReplicaAsync(other);
        var backAt = DateTimeOffset.UtcNow;
        await Ha.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        await WaitForExecutionsUntilAsync(backAt.AddSeconds(3));

        // Fire-all: the instants of the outage run too, late but exactly once.
        Ha.ShouldHaveEverySecondOnce(start, backAt.AddSeconds(3), "quorum lost and regained");
    }

    [Fact]
    public async Task Followers_serve_the_whole_api_forwarding_what_only_the_leader_can_do()
    {
        await RestoreAsync();
        var (leader, _) = await Ha.WaitForLeaderAsync(TimeSpan.FromSeconds(10));
        var followers = Enumerable.Range(0, 3).Where(i => i != leader).ToList();
        using var one = await Ha.ClientAsync(followers[0]);
        using var two = await Ha.ClientAsync(followers[1]);

        // The agents are connected to the leader only; a follower lists them all the same.
        var agents = JsonNode.Parse(await one.GetStringAsync("/api/v1/agents"))!.AsArray();
        agents.Select(a => a!["name"]!.GetValue<string>()).Where(n => n.StartsWith("ha-agent", StringComparison.Ordinal)).Distinct().Count().ShouldBe(2);

        // The UI's live stream, forwarded to the leader: its first event lists the agents connected there.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events"))
        using (var response = await two.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var first = "";
            while (!first.Contains("\n\n", StringComparison.Ordinal) && !first.Contains("ha-agent2", StringComparison.Ordinal))
            {
                first += await reader.ReadLineAsync(timeout.Token) + "\n";
            }

            first.ShouldContain("event: agents");
            first.ShouldContain("ha-agent1");
        }

        // A task created through a follower is scheduled by the leader.
        var created = DateTimeOffset.UtcNow;
        var marker = Path.Combine(Path.GetDirectoryName(Ha.ExecutionsFile)!, "follower-task.log");
        var task = (await HaCluster.PostAsync(one, $"/api/v1/projects/{Ha.ProjectId}/tasks",
            new { name = "from-follower", cron = "* * * * * *", config = new { command = $"echo ran >> '{marker}'" } }))["id"]!.GetValue<long>();
        await global::GopherCron.Cluster.Tests.Cluster.EventuallyAsync(() => Task.FromResult(File.Exists(marker)), e => e,
            TimeSpan.FromSeconds(10), "the task created on a follower to run");
        output.WriteLine($"task created on a follower first ran {(File.GetLastWriteTimeUtc(marker) - created.UtcDateTime).TotalMilliseconds:0} ms later");
        using (var deleted = await one.DeleteAsync($"/api/v1/projects/{Ha.ProjectId}/tasks/{task}"))
        {
            deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        await Task.Delay(1500);
        var lines = File.ReadAllLines(marker).Length;
        await Task.Delay(2500);
        File.ReadAllLines(marker).Length.ShouldBe(lines, "a task deleted on a follower stops firing");

        // Run now through a follower, follow its output live through the other, kill it through the first.
        var slow = (await HaCluster.PostAsync(one, $"/api/v1/projects/{Ha.ProjectId}/tasks",
            new { name = "slow", cron = "0 0 1 1 *", enabled = false, config = new { command = "for i in $(seq 1 100); do echo line$i; sleep 0.2; done" } }))["id"]!.GetValue<long>();
        var runId = (await HaCluster.PostAsync(one, $"/api/v1/projects/{Ha.ProjectId}/tasks/{slow}/run", null, HttpStatusCode.Accepted))["runId"]!.GetValue<long>();
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/runs/{runId}/output?follow=true"))
        using (var response = await two.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var seen = "";
            while (!seen.Contains("line5", StringComparison.Ordinal))
            {
                seen += await reader.ReadLineAsync(timeout.Token) + "\n";
            }
        }

        (await HaCluster.PostAsync(one, $"/api/v1/runs/{runId}/kill", null, HttpStatusCode.Accepted))["outcome"]!.GetValue<string>().ShouldBe("killing");
        var run = await global::GopherCron.Cluster.Tests.Cluster.EventuallyAsync(async () => JsonNode.Parse(await two.GetStringAsync($"/api/v1/runs/{runId}"))!,
            r => r["status"]!.GetValue<string>() != "running", TimeSpan.FromSeconds(20), "the kill");
        run["status"]!.GetValue<string>().ShouldBe("killed");
    }
}
