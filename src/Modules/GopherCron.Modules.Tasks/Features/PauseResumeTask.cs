using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Time;
using GopherCron.Modules.Tasks.Data;
using GopherCron.Modules.Tasks.Dispatching;
using GopherCron.Modules.Tasks.Domain;
using GopherCron.Modules.Tasks.Scheduling;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace GopherCron.Modules.Tasks.Features;

/// <summary>
/// Pause stops future fires (runs in progress go on); resume schedules from now on: fires that fell while the task
/// was paused are not caught up.
/// </summary>
internal static class PauseResumeTask
{
    public static IEndpointRouteBuilder MapPauseResumeTask(this IEndpointRouteBuilder group)
    {
        group.MapPost("/{taskId:long}/pause", (long projectId, long taskId, TasksDb db, TaskChangeFeed changes, Dispatcher dispatcher, IOptions<TasksOptions> options, TimeProvider clock, CancellationToken ct) =>
                SetEnabledAsync(projectId, taskId, false, db, changes, dispatcher, options.Value, clock, ct))
            .WithName("PauseTask")
            .RequireProjectRole(ProjectRole.Manager);
        group.MapPost("/{taskId:long}/resume", (long projectId, long taskId, TasksDb db, TaskChangeFeed changes, Dispatcher dispatcher, IOptions<TasksOptions> options, TimeProvider clock, CancellationToken ct) =>
                SetEnabledAsync(projectId, taskId, true, db, changes, dispatcher, options.Value, clock, ct))
            .WithName("ResumeTask")
            .RequireProjectRole(ProjectRole.Manager);
        return group;
    }

    private static async Task<IResult> SetEnabledAsync(
        long projectId, long taskId, bool enabled, TasksDb db, TaskChangeFeed changes, Dispatcher dispatcher,
        TasksOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var row = await db.Tasks.FirstOrDefaultAsync(t => t.Id == taskId && t.ProjectId == projectId, cancellationToken);
        if (row is null)
        {
            return TaskLookup.NotFound(projectId, taskId);
        }

        if (enabled && !CronTask.TryFrom(row, options, out _, out var error))
        {
            return Problems.Conflict($"The task cannot resume: its schedule is invalid ({error}). Edit the task to fix it.");
        }

        var now = clock.GetUtcNow();
        row.Enabled = enabled;
        row.ScheduleError = null;
        row.UpdatedAt = now.ToUnixMs();
        await db.Tasks.Where(t => t.Id == taskId)
            .Set(t => t.Enabled, enabled).Set(t => t.ScheduleError, (string?)null).Set(t => t.UpdatedAt, row.UpdatedAt)
            .UpdateAsync(cancellationToken);
        changes.Changed(taskId);
        var active = await dispatcher.ActiveRunCountsAsync([taskId], cancellationToken);
        return TypedResults.Ok(TaskResponse.From(row, options, now, active(taskId)));
    }
}
