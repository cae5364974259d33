using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Projects.Data;
using GopherCron.Modules.Shared;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GopherCron.Modules.Projects.Features;

internal sealed record ProjectTokenResponse(string Token);

internal static class GetProjectToken
{
    public static RouteHandlerBuilder MapGetProjectToken(this IEndpointRouteBuilder project) =>
        project.MapGet("/token", HandleAsync)
            .WithName(nameof(GetProjectToken))
            .RequireProjectRole(ProjectRole.Admin);

    private static async Task<Results<Ok<ProjectTokenResponse>, ProblemHttpResult>> HandleAsync(long projectId, ProjectsDb db, CancellationToken ct)
    {
        var token = await db.Projects.Where(p => p.Id == projectId).Select(p => p.Token).FirstOrDefaultAsync(ct);
        return token is null ? Problems.NotFound($"Project {projectId} does not exist.") : TypedResults.Ok(new ProjectTokenResponse(token));
    }
}
