using dotnet_etcd;
using Etcdserverpb;
using GopherCron.Agent.Protocol;
using GopherCron.Modules.Shared.Cluster;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace GopherCron.Modules.Tasks.Dispatching;

/// <summary>
/// Publishes the leader under <see cref="AgentRedirect.LeaderKey"/> so that agents watching etcd move to it at once,
/// even when the old leader is frozen rather than dead and its streams stay open. A write never replaces the
/// announcement of a later term (compare-and-swap on the key's revision).
/// </summary>
internal sealed class EtcdLeaderAnnouncer(IOptions<EtcdOptions> options) : ILeaderAnnouncer
{
    public async Task AnnounceAsync(LeaderRecord leader, CancellationToken cancellationToken)
    {
        if (leader.AgentsUrl.Length == 0)
        {
            return;
        }

        using var client = new EtcdClient(options.Value.Endpoints);
        var value = new LeaderAnnouncement(leader.Term, leader.Replica, leader.AgentsUrl, leader.ApiUrl).ToJson();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = await client.GetAsync(new RangeRequest { Key = ByteString.CopyFromUtf8(AgentRedirect.LeaderKey) },
                cancellationToken: cancellationToken);
            var existing = current.Kvs.FirstOrDefault();
            if (existing is not null && LeaderAnnouncement.TryParse(existing.Value.ToStringUtf8()) is { } known && known.Term > leader.Term)
            {
                return;
            }

            var txn = new TxnRequest();
            txn.Compare.Add(new Compare
            {
                Key = ByteString.CopyFromUtf8(AgentRedirect.LeaderKey),
                Target = Compare.Types.CompareTarget.Mod,
                Result = Compare.Types.CompareResult.Equal,
                ModRevision = existing?.ModRevision ?? 0,
            });
            txn.Success.Add(new RequestOp
            {
                RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8(AgentRedirect.LeaderKey), Value = ByteString.CopyFromUtf8(value) },
            });
            var result = await client.TransactionAsync(txn, cancellationToken: cancellationToken);
            if (result.Succeeded)
            {
                return;
            }
        }
    }
}
