using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Tasks.Data;
using GopherCron.Modules.Tasks.Scheduling;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GopherCron.Modules.Tasks.Features;

/// <summary>Deleting a task stops its future fires at once; runs in progress finish and stay in the history until purged.</summary>
internal static class DeleteTask
{
    public static RouteHandlerBuilder MapDeleteTask(this IEndpointRouteBuilder group) =>
        group.MapDelete("/{taskId:long}", HandleAsync)
            .WithName(nameof(DeleteTask))
            .RequireProjectRole(ProjectRole.Manager);

    private static async Task<IResult> HandleAsync(
        long projectId, long taskId, TasksDb db, TaskChangeFeed changes, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using (var tx = await db.BeginTransactionAsync(cancellationToken))
        {
            var deleted = await db.Tasks.Where(t => t.Id == taskId && t.ProjectId == projectId).DeleteAsync(cancellationToken);
            if (deleted == 0)
            {
                return TaskLookup.NotFound(projectId, taskId);
            }

            await TaskTombstones.WriteAsync(db, [taskId], clock, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        changes.Changed(taskId);
        return TypedResults.NoContent();
    }
}
