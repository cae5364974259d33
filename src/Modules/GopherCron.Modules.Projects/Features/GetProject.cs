using System.Security.Claims;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Projects.Data;
using GopherCron.Modules.Shared;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GopherCron.Modules.Projects.Features;

internal static class GetProject
{
    public static RouteHandlerBuilder MapGetProject(this IEndpointRouteBuilder project) =>
        project.MapGet("/", HandleAsync)
            .WithName(nameof(GetProject))
            .RequireProjectRole(ProjectRole.Viewer);

    private static async Task<Results<Ok<ProjectResponse>, ProblemHttpResult>> HandleAsync(
        long projectId, ClaimsPrincipal caller, ProjectsDb db, IProjectAccess access, CancellationToken ct)
    {
        var row = await db.Projects.FirstOrDefaultAsync(p => p.Id == projectId, ct);
        var role = await access.GetRoleAsync(projectId, caller, ct);
        return row is null || role is null
            ? Problems.NotFound($"Project {projectId} does not exist.")
            : TypedResults.Ok(ProjectResponse.From(row, (int)role.Value));
    }
}
