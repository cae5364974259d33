using System.Security.Claims;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Projects.Data;
using GopherCron.Modules.Projects.Domain;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Security;
using GopherCron.Modules.Shared.Time;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace GopherCron.Modules.Projects.Features;

internal static class RegenerateProjectToken
{
    public static RouteHandlerBuilder MapRegenerateProjectToken(this IEndpointRouteBuilder project) =>
        project.MapPost("/token", HandleAsync)
            .WithName(nameof(RegenerateProjectToken))
            .RequireProjectRole(ProjectRole.Admin);

    private static async Task<Results<Ok<ProjectTokenResponse>, ProblemHttpResult>> HandleAsync(
        long projectId, ClaimsPrincipal caller, ProjectsDb db, TimeProvider clock, ILogger<ProjectsModule> logger, CancellationToken ct)
    {
        var token = ProjectToken.Create();
        var updated = await db.Projects
            .Where(p => p.Id == projectId)
            .Set(p => p.Token, token)
            .Set(p => p.UpdatedAt, clock.GetUtcNow().ToUnixMs())
            .UpdateAsync(ct);
        if (updated == 0)
        {
            return Problems.NotFound($"Project {projectId} does not exist.");
        }

        logger.TokenRegenerated(projectId, caller.GetUserId());
        return TypedResults.Ok(new ProjectTokenResponse(token));
    }
}
