using dotnet_etcd;
using Etcdserverpb;
using GopherCron.Agent.Protocol;
using GopherCron.Modules.Shared.Cluster;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace GopherCron.Modules.Tasks.Dispatching;

/// <summary>
/// Publishes the leader under <see cref="AgentRedirect.LeaderKey"/> so that agents watching etcd move to it at once,
/// even when the old leader is frozen rather than dead and its streams stay open. It is called only after the store's
/// fence accepted this term, so the store orders leaders; etcd only carries the news (a stale announcement, say from
/// a leader frozen between the two writes, costs an agent one redirect).
/// </summary>
internal sealed class EtcdLeaderAnnouncer(IOptions<EtcdOptions> options) : ILeaderAnnouncer, IDisposable
{
    // Kept open: a failover should not wait for a new channel's handshake.
    private readonly Lazy<EtcdClient> _client = new(() => new EtcdClient(options.Value.Endpoints));

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }

    public async Task AnnounceAsync(LeaderRecord leader, CancellationToken cancellationToken)
    {
        if (leader.AgentsUrl.Length == 0)
        {
            return;
        }

        var client = _client.Value;
        var value = new LeaderAnnouncement(leader.Term, leader.Replica, leader.AgentsUrl, leader.ApiUrl).ToJson();
        await client.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8(AgentRedirect.LeaderKey), Value = ByteString.CopyFromUtf8(value) },
            cancellationToken: cancellationToken);
    }
}
