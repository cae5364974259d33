using System.Security.Claims;
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
    DateTimeOffset ConnectedAt,
    DateTimeOffset LastHeartbeatAt)
{
    public static AgentResponse From(AgentConnection a, DateTimeOffset now) => new(
        a.Id, a.Name, a.Descriptor.Address, a.Descriptor.Version, a.Descriptor.Labels, a.Descriptor.Executors,
        a.Descriptor.ProjectIds, a.Weight, a.Descriptor.Weight, a.ConnectedAt,
        // The in-process agent cannot be silent while the host answers; it is as fresh as now.
        a.Descriptor.Address == "in-process" ? now : a.LastSeenAt);
}

/// <summary>Online agents: all of them for system administrators, otherwise those serving a project the caller can see.</summary>
internal static class ListAgents
{
    public static IEndpointRouteBuilder MapListAgents(this IEndpointRouteBuilder api)
    {
        api.MapGet("/agents", ListVisibleAsync).WithName("ListAgents");
        api.MapGet("/projects/{projectId:long}/agents", (long projectId, AgentRegistry registry, TimeProvider clock) =>
                TypedResults.Ok(Serving(registry, clock, a => a.Descriptor.ProjectIds is null || a.Descriptor.ProjectIds.Contains(projectId))))
            .WithName("ListProjectAgents")
            .RequireProjectRole(ProjectRole.Viewer);
        return api;
    }

    private static async Task<IResult> ListVisibleAsync(ClaimsPrincipal user, AgentRegistry registry, IProjectAccess access, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (user.IsSystemAdmin())
        {
            return TypedResults.Ok(Serving(registry, clock, _ => true));
        }

        var visible = (await access.VisibleProjectIdsAsync(user, cancellationToken)).ToHashSet();
        return TypedResults.Ok(Serving(registry, clock, a => a.Descriptor.ProjectIds is null || a.Descriptor.ProjectIds.Any(visible.Contains)));
    }

    private static List<AgentResponse> Serving(AgentRegistry registry, TimeProvider clock, Func<AgentConnection, bool> filter)
    {
        var now = clock.GetUtcNow();
        return registry.All.Where(filter).OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => AgentResponse.From(a, now)).ToList();
    }
}
