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

internal static class DeleteProject
{
    public static RouteHandlerBuilder MapDeleteProject(this IEndpointRouteBuilder project) =>
        project.MapDelete("/", HandleAsync)
            .WithName(nameof(DeleteProject))
            .RequireProjectRole(ProjectRole.Admin);

    private static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(
        long projectId,
        ClaimsPrincipal caller,
        ProjectsDb db,
        IEnumerable<IProjectDeletionParticipant> participants,
        ILogger<ProjectsModule> logger,
        CancellationToken ct)
    {
        var everyone = participants.ToList();
        await using (var tx = await db.BeginTransactionAsync(ct))
        {
            // Tasks, runs and output go in the same transaction as the project: all or nothing.
            foreach (var participant in everyone)
            {
                await participant.DeleteProjectDataAsync(db, projectId, ct);
            }

            await db.Members.Where(m => m.ProjectId == projectId).DeleteAsync(ct);
            if (await db.Projects.Where(p => p.Id == projectId).DeleteAsync(ct) == 0)
            {
                return Problems.NotFound($"Project {projectId} does not exist.");
            }

            await tx.CommitAsync(ct);
        }

        logger.ProjectDeleted(projectId, caller.GetUserId());

        // The rows are gone for good now; in-memory state (schedules) must follow even if the caller hangs up.
        foreach (var participant in everyone)
        {
            try
            {
                await participant.ProjectDeletedAsync(projectId, CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.ProjectDeletedNotificationFailed(e, projectId);
            }
        }

        return TypedResults.NoContent();
    }
}
