using GopherCron.Host.Cluster;
using GopherCron.Modules.Shared.Cluster;
using System.Diagnostics.Metrics;
using GopherCron.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GopherCron.Api.Tests.Cluster;

/// <summary>Three replicas electing the scheduling leader over real TCP on loopback.</summary>
public sealed class RaftLeadershipTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gc-raft-" + Guid.NewGuid().ToString("N"));
    private readonly List<RaftLeadership> _nodes = [];
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public async Task InitializeAsync()
    {
        var ports = Enumerable.Range(0, 3).Select(_ => HostProcess.FreePort()).ToList();
        var members = ports.Select(p => $"127.0.0.1:{p}").ToList();
        foreach (var (port, i) in ports.Select((p, i) => (p, i)))
        {
            var node = new RaftLeadership(Options.Create(new ClusterOptions
            {
                Listen = $"127.0.0.1:{port}",
                Members = members,
                DataPath = Path.Combine(_root, "node" + i),
            }), NullLoggerFactory.Instance, _meters.GetRequiredService<IMeterFactory>());
            _nodes.Add(node);
        }

        await Task.WhenAll(_nodes.Select(n => n.StartAsync(CancellationToken.None)));
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            try
            {
                await node.StopAsync(CancellationToken.None);
            }
            catch (ObjectDisposedException)
            {
            }

            await node.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
        await _meters.DisposeAsync();
    }

    private async Task<(RaftLeadership Node, LeadershipLease Lease)> LeaderAsync(IEnumerable<RaftLeadership> candidates)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var waits = candidates.Select(async n => (Node: n, Lease: await n.WaitForLeadershipAsync(timeout.Token))).ToList();
        var first = await await Task.WhenAny(waits);
        return first;
    }

    [Fact]
    public async Task Exactly_one_replica_leads_and_a_new_one_takes_over_in_a_higher_term_when_it_stops()
    {
        var (leader, lease) = await LeaderAsync(_nodes);
        lease.Token.IsCancellationRequested.ShouldBeFalse();
        lease.Term.ShouldBeGreaterThan(0);
        await Task.Delay(500); // let the others hear from the leader
        _nodes.Count(n => n.Role == ClusterRole.Leader).ShouldBe(1);
        _nodes.Where(n => n != leader).ShouldAllBe(n => n.Role == ClusterRole.Follower);

        var stoppedAt = DateTime.UtcNow;
        await leader.StopAsync(CancellationToken.None);
        var survivors = _nodes.Where(n => n != leader).ToList();
        var (next, nextLease) = await LeaderAsync(survivors);

        (DateTime.UtcNow - stoppedAt).ShouldBeLessThan(TimeSpan.FromSeconds(5));
        next.ShouldNotBe(leader);
        nextLease.Term.ShouldBeGreaterThan(lease.Term);
        lease.Token.IsCancellationRequested.ShouldBeTrue("the deposed leader's lease must end with its leadership");
    }
}
