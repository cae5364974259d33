using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Data;
using GopherCron.Modules.Shared.Time;
using GopherCron.Modules.Shared.Validation;
using GopherCron.Modules.Tasks.Data;
using GopherCron.Modules.Tasks.Dispatching;
using GopherCron.Modules.Tasks.Scheduling;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace GopherCron.Modules.Tasks.Features;

internal static class UpdateTask
{
    public static RouteHandlerBuilder MapUpdateTask(this IEndpointRouteBuilder group) =>
        group.MapPut("/{taskId:long}", HandleAsync)
            .WithName(nameof(UpdateTask))
            .RequireProjectRole(ProjectRole.Manager)
            .WithValidation<TaskBody>();

    private static async Task<IResult> HandleAsync(
        long projectId, long taskId, TaskBody body, TasksDb db, TaskChangeFeed changes, Dispatcher dispatcher,
        IOptions<TasksOptions> options, TimeProvider clock, AgentRegistry registry, EtcdAgentDirectory agents, CancellationToken cancellationToken)
    {
        var row = await db.Tasks.FirstOrDefaultAsync(t => t.Id == taskId && t.ProjectId == projectId, cancellationToken);
        if (row is null)
        {
            return TaskLookup.NotFound(projectId, taskId);
        }

        if (await db.Tasks.AnyAsync(t => t.ProjectId == projectId && t.Name == body.Name && t.Id != taskId, cancellationToken))
        {
            return CreateTask.NameTaken(body.Name!);
        }

        var now = clock.GetUtcNow();
        body.ApplyTo(row);
        row.UpdatedAt = now.ToUnixMs();
        try
        {
            await db.UpdateAsync(row, token: cancellationToken);
        }
        catch (Exception e) when (DbErrors.IsUniqueViolation(e))
        {
            return CreateTask.NameTaken(body.Name!);
        }

        changes.Changed(row.Id);
        var active = await dispatcher.ActiveRunCountsAsync([row.Id], cancellationToken);
        return TypedResults.Ok(TaskResponse.From(row, options.Value, now, active(row.Id)) with
        {
            Warnings = OnlineAgent.Warnings(row.Executor, projectId, registry, agents),
        });
    }
}

internal static class TaskLookup
{
    public static IResult NotFound(long projectId, long taskId) =>
        Problems.NotFound($"Task {taskId} does not exist in project {projectId}.");
}
