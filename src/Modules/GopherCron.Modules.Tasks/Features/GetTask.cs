using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Tasks.Data;
using GopherCron.Modules.Tasks.Dispatching;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace GopherCron.Modules.Tasks.Features;

internal static class GetTask
{
    public static RouteHandlerBuilder MapGetTask(this IEndpointRouteBuilder group) =>
        group.MapGet("/{taskId:long}", HandleAsync)
            .WithName(nameof(GetTask))
            .RequireProjectRole(ProjectRole.Viewer);

    private static async Task<IResult> HandleAsync(
        long projectId, long taskId, TasksDb db, Dispatcher dispatcher, IOptions<TasksOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var row = await db.Tasks.FirstOrDefaultAsync(t => t.Id == taskId && t.ProjectId == projectId, cancellationToken);
        if (row is null)
        {
            return TaskLookup.NotFound(projectId, taskId);
        }

        var active = await dispatcher.ActiveRunCountsAsync([row.Id], cancellationToken);
        return TypedResults.Ok(TaskResponse.From(row, options.Value, clock.GetUtcNow(), active(row.Id)));
    }
}
