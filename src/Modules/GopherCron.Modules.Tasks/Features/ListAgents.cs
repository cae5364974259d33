using GopherCron.Modules.Shared.Cluster;
using System.Security.Claims;
using GopherCron.Agent.Protocol;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Shared.Security;
using GopherCron.Modules.Tasks.Dispatching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GopherCron.Modules.Tasks.Features;

/// <param name="Projects">The projects the agent serves; null means every project (the embedded agent).</param>
/// <param name="Weight">The weight dispatch uses: the one set through the API if any, else the agent's own.</param>
/// <param name="ConfiguredWeight">The weight the agent was started with.</param>
internal sealed record AgentResponse(
    string Id,
    string Name,
    string Address,
    string Version,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyCollection<string> Executors,
    IReadOnlyCollection<long>? Projects,
    int Weight,
    int ConfiguredWeight,
    bool Connected,
    DateTimeOffset? ConnectedAt,
    DateTimeOffset LastHeartbeatAt)
{
    public static AgentResponse From(AgentConnection a, DateTimeOffset now, AgentPresenceRecord? presence = null) => new(
        a.Id, a.Name, a.Descriptor.Address, a.Descriptor.Version, a.Descriptor.Labels, a.Descriptor.Executors,
        a.Descriptor.ProjectIds, a.Weight, a.Descriptor.Weight, true, a.ConnectedAt,
        // The in-process agent cannot be silent while the host answers; it is as fresh as now.
        a.Descriptor.Address == "in-process" ? now
            : presence is not null && presence.HeartbeatAt > a.LastSeenAt ? presence.HeartbeatAt : a.LastSeenAt);

    /// <summary>An agent registered in etcd that is not connected to this replica (another replica's, or reconnecting).</summary>
    public static AgentResponse From(AgentPresenceRecord r, int? weightOverride) => new(
        r.Id, r.Name, r.Address, r.Version, r.Labels, r.Executors, r.ProjectIds, weightOverride ?? r.Weight, r.Weight,
        false, null, r.HeartbeatAt);
}

/// <summary>Online agents: all of them for system administrators, otherwise those serving a project the caller can see.</summary>
internal static class ListAgents
{
    public static IEndpointRouteBuilder MapListAgents(this IEndpointRouteBuilder api)
    {
        api.MapGet("/agents", ListVisibleAsync).WithName("ListAgents").ServedByLeader();
        api.MapGet("/projects/{projectId:long}/agents", (long projectId, AgentRegistry registry, EtcdAgentDirectory directory, TimeProvider clock) =>
                TypedResults.Ok(Serving(registry, directory, clock, projects => projects is null || projects.Contains(projectId))))
            .WithName("ListProjectAgents")
            .RequireProjectRole(ProjectRole.Viewer)
            .ServedByLeader();
        return api;
    }

    private static async Task<IResult> ListVisibleAsync(
        ClaimsPrincipal user, AgentRegistry registry, EtcdAgentDirectory directory, IProjectAccess access, TimeProvider clock, CancellationToken cancellationToken) =>
        TypedResults.Ok(await VisibleAsync(user, registry, directory, access, clock, cancellationToken));

    /// <summary>The agents the caller may see: every one for system administrators, else those serving a visible project.</summary>
    internal static async Task<List<AgentResponse>> VisibleAsync(
        ClaimsPrincipal user, AgentRegistry registry, EtcdAgentDirectory directory, IProjectAccess access, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (user.IsSystemAdmin())
        {
            return Serving(registry, directory, clock, _ => true);
        }

        var visible = (await access.VisibleProjectIdsAsync(user, cancellationToken)).ToHashSet();
        return Serving(registry, directory, clock, projects => projects is null || projects.Any(visible.Contains));
    }

    // Connected agents first-hand, plus agents registered in etcd that are not connected here.
    private static List<AgentResponse> Serving(
        AgentRegistry registry, EtcdAgentDirectory directory, TimeProvider clock, Func<IReadOnlyCollection<long>?, bool> serves)
    {
        var now = clock.GetUtcNow();
        var connected = registry.All;
        var listed = connected.Where(a => serves(a.Descriptor.ProjectIds))
            .Select(a => AgentResponse.From(a, now, directory.TryGet(a.Id, out var presence) ? presence : null))
            .ToList();
        var ids = connected.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        listed.AddRange(directory.Agents.Where(r => !ids.Contains(r.Id) && serves(r.ProjectIds))
            .Select(r => AgentResponse.From(r, registry.WeightOf(r.Name))));
        return listed.OrderBy(a => a.Name, StringComparer.Ordinal).ThenBy(a => a.Id, StringComparer.Ordinal).ToList();
    }
}
