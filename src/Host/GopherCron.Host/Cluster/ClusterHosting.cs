using GopherCron.Modules.Shared.Cluster;
using Microsoft.Extensions.Options;

namespace GopherCron.Host.Cluster;

internal sealed record ReplicaResponse(string Endpoint, bool IsLeader, bool IsSelf, string Status);

internal sealed record LeaderResponse(long Term, string Replica, string ApiUrl, string AgentsUrl, DateTimeOffset Since);

internal sealed record ClusterResponse(
    string Role, long Term, string? Leader, bool HasQuorum, string Message, LeaderResponse? Office, IReadOnlyList<ReplicaResponse> Replicas);

internal static class ClusterHosting
{
    /// <summary>
    /// With <c>Cluster:Members</c> set, replicas elect the scheduling leader with Raft; otherwise this host is
    /// standalone and always leads. Must run before the modules, which fall back to standalone leadership.
    /// </summary>
    public static IHostApplicationBuilder AddClusterLeadership(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section);
        services.AddSingleton<IReplicaIdentity, ReplicaIdentity>();
        if (builder.Configuration.GetSection($"{ClusterOptions.Section}:Members").GetChildren().Any())
        {
            services.AddSingleton<RaftLeadership>();
            services.AddSingleton<ILeadership>(sp => sp.GetRequiredService<RaftLeadership>());
            services.AddHostedService(sp => sp.GetRequiredService<RaftLeadership>());
        }

        return builder;
    }

    /// <summary>Followers forward leader-only requests with their body: with several replicas, bodies (at most 1 MiB) are kept rewindable.</summary>
    public static IApplicationBuilder UseLeaderForwarding(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetService<RaftLeadership>() is not null)
        {
            app.Use((context, next) =>
            {
                context.Request.EnableBuffering();
                return next(context);
            });
        }

        return app;
    }

    public static IEndpointRouteBuilder MapCluster(this IEndpointRouteBuilder app)
    {

        app.MapGet("/api/v1/cluster", async (ILeadership leadership, LeadershipFence fence, IOptions<ClusterOptions> options, IServiceProvider services, CancellationToken cancellationToken) =>
            {
                var office = await fence.ReadAsync(cancellationToken);
                var officeResponse = office is null ? null : new LeaderResponse(office.Term, office.Replica, office.ApiUrl, office.AgentsUrl, office.Since);
                if (services.GetService<RaftLeadership>() is not { } raft)
                {
                    return TypedResults.Ok(new ClusterResponse("standalone", office?.Term ?? 1, null, true,
                        "Standalone: this host schedules alone (Cluster:Members is not set).", officeResponse, []));
                }

                var members = raft.Members;
                var leader = raft.Leader?.ToString();
                var reachable = members.Count(m => m.Status == "available");
                var quorum = options.Value.Members.Count / 2 + 1;
                var role = leadership.Role.ToString().ToLowerInvariant();
                var message = leader is not null
                    ? $"Replica {leader} leads scheduling in term {raft.Term}."
                    : reachable < quorum
                        ? $"No leader: only {reachable} of {options.Value.Members.Count} replicas are reachable and {quorum} are needed. Nothing is scheduled until quorum returns; reads and edits still work."
                        : "No leader yet: an election is in progress.";
                return TypedResults.Ok(new ClusterResponse(
                    role,
                    raft.Term,
                    leader,
                    leader is not null || reachable >= quorum,
                    message,
                    officeResponse,
                    [.. members.Select(m => new ReplicaResponse(m.EndPoint, m.IsLeader, m.IsSelf, m.Status))]));
            })
            .WithName("GetCluster")
            .WithTags("Cluster")
            .RequireAuthorization();
        return app;
    }
}
