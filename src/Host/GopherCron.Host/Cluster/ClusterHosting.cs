using GopherCron.Modules.Shared.Cluster;
using Microsoft.Extensions.Options;

namespace GopherCron.Host.Cluster;

internal sealed record ReplicaResponse(string Endpoint, bool IsLeader, bool IsSelf);

internal sealed record ClusterResponse(string Role, long Term, string? Leader, IReadOnlyList<ReplicaResponse> Replicas);

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
        if (builder.Configuration.GetSection($"{ClusterOptions.Section}:Members").GetChildren().Any())
        {
            services.AddSingleton<RaftLeadership>();
            services.AddSingleton<ILeadership>(sp => sp.GetRequiredService<RaftLeadership>());
            services.AddHostedService(sp => sp.GetRequiredService<RaftLeadership>());
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapCluster(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/cluster", (ILeadership leadership, IOptions<ClusterOptions> options, IServiceProvider services) =>
            {
                if (services.GetService<RaftLeadership>() is not { } raft)
                {
                    return TypedResults.Ok(new ClusterResponse("standalone", 1, null, []));
                }

                var settings = options.Value;
                var leader = raft.Leader?.ToString();
                return TypedResults.Ok(new ClusterResponse(
                    leadership.Role.ToString().ToLowerInvariant(),
                    raft.Term,
                    leader,
                    settings.Members.Select(m => new ReplicaResponse(m, m == leader, m == settings.Listen)).ToList()));
            })
            .WithName("GetCluster")
            .WithTags("Cluster")
            .RequireAuthorization();
        return app;
    }
}
