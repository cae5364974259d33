using dotnet_etcd;
using Etcdserverpb;
using GopherCron.Agent.Discovery;
using GopherCron.Agent.Protocol;
using GopherCron.Modules.Tasks.Dispatching;
using GopherCron.Testing;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GopherCron.Tasks.Tests.Discovery;

/// <summary>Agents registering in a real etcd, and the host's view of them, through deaths and an etcd restart.</summary>
public sealed class EtcdDiscoveryTests : IAsyncLifetime
{
    private EtcdProcess _etcd = null!;

    public async Task InitializeAsync() => _etcd = await EtcdProcess.StartAsync();

    public async Task DisposeAsync() => await _etcd.DisposeAsync();

    private static AgentPresenceRecord Record(string name) => new()
    {
        Id = name + "#" + Guid.NewGuid().ToString("N")[..8],
        Name = name,
        Address = "10.0.0.7",
        Version = "1.0.0",
        Labels = new Dictionary<string, string> { ["zone"] = "a" },
        Executors = ["shell"],
        ProjectIds = [3],
        Weight = 50,
        StartedAt = DateTimeOffset.UtcNow,
        HeartbeatAt = DateTimeOffset.UtcNow,
    };

    private EtcdPresence Presence(TimeSpan ttl) =>
        new(new EtcdPresenceOptions { Endpoints = _etcd.Endpoint, LeaseTtl = ttl }, TimeProvider.System, NullLogger<EtcdPresence>.Instance);

    private EtcdAgentDirectory Directory() =>
        new(Options.Create(new EtcdOptions { Endpoints = _etcd.Endpoint }), TimeProvider.System, NullLogger<EtcdAgentDirectory>.Instance);

    private static async Task Eventually(Func<bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_registered_agent_is_seen_with_its_details_and_refreshed_heartbeats_and_leaves_at_once_on_a_clean_stop()
    {
        using var stop = new CancellationTokenSource();
        var directory = Directory();
        await directory.StartAsync(CancellationToken.None);
        var record = Record("alpha");
        var presence = Task.Run(() => Presence(TimeSpan.FromSeconds(3)).RunAsync(record, stop.Token));
        var vanished = new List<string>();
        directory.Vanished += r => { lock (vanished) { vanished.Add(r.Id); } };

        await Eventually(() => directory.TryGet(record.Id, out _), "the agent to register");
        directory.TryGet(record.Id, out var seen);
        seen!.Labels["zone"].ShouldBe("a");
        seen.ProjectIds.ShouldBe([3L]);
        var first = seen.HeartbeatAt;
        await Eventually(() => directory.TryGet(record.Id, out var r) && r!.HeartbeatAt > first, "a later heartbeat");

        await stop.CancelAsync();
        await presence;
        // The record leaves the view first and the event follows; wait for both.
        await Eventually(() => !directory.TryGet(record.Id, out _), "the agent to leave", seconds: 2);
        await Eventually(() => { lock (vanished) { return vanished.Count > 0; } }, "the departure to be reported", seconds: 2);
        lock (vanished)
        {
            vanished.ShouldBe([record.Id]);
        }

        await directory.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Executor_kinds_added_while_the_agent_runs_reach_the_registry_with_the_next_heartbeat()
    {
        using var stop = new CancellationTokenSource();
        var directory = Directory();
        await directory.StartAsync(CancellationToken.None);
        var kinds = new List<string> { "shell" };
        var record = Record("growing") with { Executors = new LiveList(kinds) };
        var presence = Task.Run(() => Presence(TimeSpan.FromSeconds(3)).RunAsync(record, stop.Token));
        await Eventually(() => directory.TryGet(record.Id, out _), "the agent to register");

        lock (kinds)
        {
            kinds.Add("python"); // a plugin hot-loaded into the agent
        }

        await Eventually(() => directory.TryGet(record.Id, out var r) && r!.Executors.Contains("python"), "the new kind in etcd", seconds: 10);
        await stop.CancelAsync();
        await presence;
        await directory.StopAsync(CancellationToken.None);
    }

    /// <summary>Like the agent's view of its catalog: read afresh on every enumeration.</summary>
    private sealed class LiveList(List<string> items) : IReadOnlyCollection<string>
    {
        public int Count
        {
            get
            {
                lock (items)
                {
                    return items.Count;
                }
            }
        }

        public IEnumerator<string> GetEnumerator()
        {
            lock (items)
            {
                return items.ToList().GetEnumerator();
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public async Task An_agent_that_stops_heartbeating_disappears_within_its_lease_ttl()
    {
        var directory = Directory();
        await directory.StartAsync(CancellationToken.None);
        var record = Record("crashing");

        // A crashed agent: its record is under a 2 s lease that nobody keeps alive.
        using (var client = new EtcdClient(_etcd.Endpoint))
        {
            var lease = await client.LeaseGrantAsync(new LeaseGrantRequest { TTL = 2 });
            await client.PutAsync(new PutRequest
            {
                Key = ByteString.CopyFromUtf8(AgentPresenceKeys.For(record.Id)),
                Value = ByteString.CopyFromUtf8(record.ToJson()),
                Lease = lease.ID,
            });
        }

        await Eventually(() => directory.TryGet(record.Id, out _), "the agent to appear");
        var appeared = DateTime.UtcNow;
        await Eventually(() => !directory.TryGet(record.Id, out _), "the lease to expire", seconds: 10);
        (DateTime.UtcNow - appeared).ShouldBeLessThan(TimeSpan.FromSeconds(6));
        await directory.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task After_an_etcd_restart_the_agent_registers_again_and_the_view_recovers()
    {
        using var stop = new CancellationTokenSource();
        var directory = Directory();
        await directory.StartAsync(CancellationToken.None);
        var record = Record("survivor");
        var presence = Task.Run(() => Presence(TimeSpan.FromSeconds(3)).RunAsync(record, stop.Token));
        await Eventually(() => directory.TryGet(record.Id, out _), "the agent to register");

        await _etcd.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        directory.TryGet(record.Id, out _).ShouldBeTrue("the last view is kept while etcd is down");

        await _etcd.StartAgainAsync();
        // The old lease may have expired during the outage; the agent registers again and the watch resumes.
        DateTimeOffset restarted = DateTimeOffset.UtcNow;
        await Eventually(() => directory.TryGet(record.Id, out var r) && r!.HeartbeatAt > restarted, "a heartbeat after the restart", seconds: 30);

        await stop.CancelAsync();
        await presence;
        await Eventually(() => !directory.TryGet(record.Id, out _), "the agent to leave", seconds: 5);
        await directory.StopAsync(CancellationToken.None);
    }
}
