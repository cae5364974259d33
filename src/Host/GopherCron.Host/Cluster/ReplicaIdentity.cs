using System.Net;
using GopherCron.Host.Agents;
using GopherCron.Modules.Shared.Cluster;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace GopherCron.Host.Cluster;

/// <summary>
/// This replica's addresses as other replicas and agents must dial them: <c>Cluster:ApiUrl</c> and
/// <c>Cluster:AgentsUrl</c> when set (behind NAT or a proxy), otherwise the addresses the server bound, with a
/// wildcard host (0.0.0.0, [::], +, *) replaced by the IP of <c>Cluster:Listen</c>.
/// </summary>
internal sealed class ReplicaIdentity(
    IServer server,
    IHostApplicationLifetime lifetime,
    IOptions<ClusterOptions> cluster,
    IOptions<RemoteAgentOptions> agents) : IReplicaIdentity
{
    private ReplicaAddress? _address;

    public async ValueTask<ReplicaAddress> GetAsync(CancellationToken cancellationToken)
    {
        if (_address is { } known)
        {
            return known;
        }

        // The bound addresses exist once the server has started (port 0 means "any free port").
        if (!lifetime.ApplicationStarted.IsCancellationRequested)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
            await started.Task.WaitAsync(cancellationToken);
        }

        var settings = cluster.Value;
        var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        var grpcPort = agents.Value.GrpcPort;
        var grpc = bound.FirstOrDefault(a => grpcPort > 0 && PortOf(a) == grpcPort);
        var api = bound.FirstOrDefault(a => a != grpc);
        var ip = IPEndPoint.TryParse(settings.Listen, out var listen) ? listen.Address.ToString() : "127.0.0.1";
        _address = new ReplicaAddress(
            settings.Enabled ? settings.Listen : "standalone",
            Normalize(settings.ApiUrl ?? api, ip),
            Normalize(settings.AgentsUrl ?? grpc, ip));
        return _address;
    }

    private static int PortOf(string url) => Uri.TryCreate(url.Replace("://+", "://localhost").Replace("://*", "://localhost"), UriKind.Absolute, out var uri) ? uri.Port : -1;

    private static string Normalize(string? url, string ip)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "";
        }

        url = url.TrimEnd('/');
        foreach (var wildcard in new[] { "://0.0.0.0:", "://[::]:", "://+:", "://*:" })
        {
            url = url.Replace(wildcard, "://" + (ip.Contains(':') ? $"[{ip}]" : ip) + ":", StringComparison.Ordinal);
        }

        return url;
    }
}
