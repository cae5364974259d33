using dotnet_etcd;
using Etcdserverpb;
using GopherCron.Agent.Protocol;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace GopherCron.Agent.Discovery;

/// <summary>
/// Follows the leader's announcement in etcd (<see cref="AgentRedirect.LeaderKey"/>): a snapshot, then a watch, so an
/// agent learns of a new leader the moment it takes office, even while the old leader's stream still looks open
/// (a frozen leader). Each announcement replaces the last: etcd orders them, and terms are not compared because a
/// cluster rebuilt from scratch starts counting terms again.
/// </summary>
public sealed partial class EtcdLeaderWatch(EtcdPresenceOptions options, TimeProvider clock, ILogger<EtcdLeaderWatch> logger)
{
    private static readonly TimeSpan HealthEvery = TimeSpan.FromSeconds(2);
    private LeaderAnnouncement? _current;

    /// <summary>The newest announcement seen, if any.</summary>
    public LeaderAnnouncement? Current => Volatile.Read(ref _current);

    /// <summary>Raised with each new announcement.</summary>
    public event Action<LeaderAnnouncement>? Changed;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var retry = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            using var client = new EtcdClient(options.Endpoints);
            using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                var key = ByteString.CopyFromUtf8(AgentRedirect.LeaderKey);
                var snapshot = await client.GetAsync(new RangeRequest { Key = key }, cancellationToken: session.Token);
                if (snapshot.Kvs.FirstOrDefault() is { } kv)
                {
                    Offer(kv.Value.ToStringUtf8());
                }

                retry = TimeSpan.FromSeconds(1);
                await client.WatchAsync(new WatchRequest
                {
                    CreateRequest = new WatchCreateRequest { Key = key, StartRevision = snapshot.Header.Revision + 1 },
                }, (WatchResponse response) =>
                {
                    foreach (var change in response.Events.Where(e => e.Type == Mvccpb.Event.Types.EventType.Put))
                    {
                        Offer(change.Kv.Value.ToStringUtf8());
                    }
                }, cancellationToken: session.Token);

                while (!session.IsCancellationRequested)
                {
                    await Task.Delay(HealthEvery, clock, session.Token);
                    using var probe = CancellationTokenSource.CreateLinkedTokenSource(session.Token);
                    probe.CancelAfter(HealthEvery);
                    await client.StatusAsync(new StatusRequest(), cancellationToken: probe.Token);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogUnreachable(e.Message, retry.TotalSeconds);
                await session.CancelAsync();
                await Task.Delay(retry, clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                retry = TimeSpan.FromSeconds(Math.Min(5, retry.TotalSeconds * 2));
            }
        }
    }

    /// <summary>Takes an announcement (a repeat of the current one changes nothing).</summary>
    internal void Offer(string json)
    {
        if (LeaderAnnouncement.TryParse(json) is not { } announcement)
        {
            return;
        }

        if (Interlocked.Exchange(ref _current, announcement) == announcement)
        {
            return;
        }

        LogLeader(announcement.Replica, announcement.Term, announcement.AgentsUrl);
        Changed?.Invoke(announcement);
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "etcd announces leader {Replica} (term {Term}) at {AgentsUrl}")]
    private partial void LogLeader(string replica, long term, string agentsUrl);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Cannot watch the leader in etcd ({Reason}); retrying in {Seconds} s")]
    private partial void LogUnreachable(string reason, double seconds);
}
