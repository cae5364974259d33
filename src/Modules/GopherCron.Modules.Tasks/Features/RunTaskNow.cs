using GopherCron.Modules.Logs.Contracts;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Cluster;
using GopherCron.Modules.Tasks.Data;
using GopherCron.Modules.Tasks.Dispatching;
using GopherCron.Modules.Tasks.Domain;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace GopherCron.Modules.Tasks.Features;

internal sealed record RunTaskNowResponse(long RunId, IReadOnlyList<long> RunIds);

/// <summary>
/// Runs a task once, now, whether it is paused or not. The overlap policy does not apply: asking for a run is explicit.
/// A parallel task runs on every eligible agent; the first run id is returned with all of them.
/// </summary>
internal static class RunTaskNow
{
    public static RouteHandlerBuilder MapRunTaskNow(this IEndpointRouteBuilder group) =>
        group.MapPost("/{taskId:long}/run", HandleAsync)
            .WithName(nameof(RunTaskNow))
            .RequireProjectRole(ProjectRole.Manager)
            .ServedByLeader();

    private static async Task<IResult> HandleAsync(
        long projectId, long taskId, TasksDb db, Dispatcher dispatcher, IOptions<TasksOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var row = await db.Tasks.FirstOrDefaultAsync(t => t.Id == taskId && t.ProjectId == projectId, cancellationToken);
        if (row is null)
        {
            return TaskLookup.NotFound(projectId, taskId);
        }

        if (!CronTask.TryFrom(row, options.Value, out var task, out var error))
        {
            return Problems.Conflict($"The task cannot run: its schedule is invalid ({error}). Edit the task to fix it.");
        }

        if (dispatcher.CurrentTerm is not { } term)
        {
            return TypedResults.Problem("No replica is scheduling right now (no leader); try again shortly.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "No scheduling leader");
        }

        var claimed = await dispatcher.FireAsync([new Fire(task!, clock.GetUtcNow(), RunTrigger.Manual)], term, cancellationToken);
        var ids = claimed.Select(c => c.RunId).ToList();
        return TypedResults.Accepted($"/api/v1/runs/{ids[0]}", new RunTaskNowResponse(ids[0], ids));
    }
}
