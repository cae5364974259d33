using System.Security.Claims;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Projects.Data;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Security;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace GopherCron.Modules.Projects.Features;

internal static class RemoveMember
{
    // Viewer, because any member may leave; removing someone else needs admin (checked below).
    public static RouteHandlerBuilder MapRemoveMember(this IEndpointRouteBuilder project) =>
        project.MapDelete("/members/{userId:long}", HandleAsync)
            .WithName(nameof(RemoveMember))
            .RequireProjectRole(ProjectRole.Viewer);

    private static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(
        long projectId, long userId, ClaimsPrincipal caller, ProjectsDb db, IProjectAccess access, ILogger<ProjectsModule> logger, CancellationToken ct)
    {
        var actorId = caller.GetUserId();
        if (actorId != userId && await access.GetRoleAsync(projectId, caller, ct) != ProjectRole.Admin)
        {
            return Problems.Forbidden("Only project admins remove other members; you may remove yourself.");
        }

        await using (var tx = await db.BeginTransactionAsync(ct))
        {
            if (await Membership.IsLastAdminAsync(db, projectId, userId, ct))
            {
                return Problems.Conflict("This is the project's last admin; make another member admin first, or delete the project.");
            }

            if (await db.Members.Where(m => m.ProjectId == projectId && m.UserId == userId).DeleteAsync(ct) == 0)
            {
                return Problems.NotFound($"User {userId} is not a member of project {projectId}.");
            }

            await tx.CommitAsync(ct);
        }

        logger.MemberRemoved(projectId, userId, actorId);
        return TypedResults.NoContent();
    }
}
