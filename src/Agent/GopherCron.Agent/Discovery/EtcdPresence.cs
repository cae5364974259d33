using dotnet_etcd;
using Etcdserverpb;
using GopherCron.Agent.Protocol;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace GopherCron.Agent.Discovery;

/// <summary>Settings of an agent's etcd registration.</summary>
public sealed class EtcdPresenceOptions
{
    /// <summary>Comma-separated etcd endpoints, for example <c>http://127.0.0.1:2379</c>.</summary>
    public string Endpoints { get; set; } = "";

    /// <summary>The lease's time to live: an agent that stops heartbeating disappears after this long.</summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Keeps an agent's record in etcd under a lease while the agent lives: registers, keeps the lease alive, refreshes
/// the heartbeat a few times per TTL, and registers again under a new lease whenever etcd was unreachable (an etcd
/// restart). Runs are never affected by etcd being down. On a clean stop the lease is revoked, so the agent
/// disappears at once instead of after the TTL.
/// </summary>
public sealed partial class EtcdPresence(EtcdPresenceOptions options, TimeProvider clock, ILogger<EtcdPresence> logger) : IAgentPresence
{
    /// <inheritdoc />
    public Task RunAsync(AgentPresenceInfo info, CancellationToken cancellationToken) => RunAsync(new AgentPresenceRecord
    {
        Id = info.AgentId,
        Name = info.Name,
        Address = info.Address,
        Version = info.Version,
        Labels = info.Labels,
        Executors = info.Executors,
        ProjectIds = info.ProjectIds,
        Weight = info.Weight,
        StartedAt = clock.GetUtcNow(),
        HeartbeatAt = clock.GetUtcNow(),
    }, cancellationToken);

    /// <summary>Publishes <paramref name="record"/> until <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="record">The agent's record; its heartbeat time is refreshed on every beat.</param>
    /// <param name="cancellationToken">Stops the registration and revokes the lease.</param>
    public async Task RunAsync(AgentPresenceRecord record, CancellationToken cancellationToken)
    {
        var ttlSeconds = Math.Max(2, (long)Math.Ceiling(options.LeaseTtl.TotalSeconds));
        var beat = TimeSpan.FromSeconds(ttlSeconds / 3.0);
        var retry = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            using var client = new EtcdClient(options.Endpoints);
            long lease = 0;
            try
            {
                lease = (await client.LeaseGrantAsync(new LeaseGrantRequest { TTL = ttlSeconds }, cancellationToken: cancellationToken)).ID;
                using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var keeping = client.LeaseKeepAlive(lease, keepAlive.Token);
                LogRegistered(record.Name, lease, ttlSeconds);
                retry = TimeSpan.FromSeconds(1);
                while (!cancellationToken.IsCancellationRequested)
                {
                    await client.PutAsync(new PutRequest
                    {
                        Key = ByteString.CopyFromUtf8(AgentPresenceKeys.For(record.Id)),
                        Value = ByteString.CopyFromUtf8((record with { HeartbeatAt = clock.GetUtcNow() }).ToJson()),
                        Lease = lease,
                    }, cancellationToken: cancellationToken);
                    if (keeping.IsCompleted)
                    {
                        await keeping; // surfaces why the keep-alive stopped
                        throw new InvalidOperationException("the lease keep-alive stopped");
                    }

                    await Task.Delay(beat, clock, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                LogUnreachable(e, options.Endpoints, retry.TotalSeconds);
                await Task.Delay(retry, clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                retry = TimeSpan.FromSeconds(Math.Min(5, retry.TotalSeconds * 2));
                continue;
            }

            if (lease != 0)
            {
                await RevokeAsync(client, lease);
            }
        }
    }

    private async Task RevokeAsync(EtcdClient client, long lease)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease }, cancellationToken: timeout.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Best effort: the lease expires by itself within its TTL.
            LogRevokeFailed(e);
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Registered agent {Agent} in etcd (lease {Lease:x}, TTL {Ttl} s)")]
    private partial void LogRegistered(string agent, long lease, long ttl);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "etcd at {Endpoints} is unreachable; runs go on, registering again in {Seconds} s")]
    private partial void LogUnreachable(Exception exception, string endpoints, double seconds);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Debug, Message = "Could not revoke the etcd lease; it expires by itself")]
    private partial void LogRevokeFailed(Exception exception);
}
