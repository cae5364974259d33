using System.Security.Claims;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Data;
using GopherCron.Modules.Shared.Security;
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

internal static class CreateTask
{
    public static RouteHandlerBuilder MapCreateTask(this IEndpointRouteBuilder group) =>
        group.MapPost("/", HandleAsync)
            .WithName(nameof(CreateTask))
            .RequireProjectRole(ProjectRole.Manager)
            .WithValidation<TaskBody>();

    private static async Task<IResult> HandleAsync(
        long projectId, TaskBody body, ClaimsPrincipal user, TasksDb db, TaskChangeFeed changes,
        IOptions<TasksOptions> options, TimeProvider clock, AgentRegistry registry, EtcdAgentDirectory agents, CancellationToken cancellationToken)
    {
        if (await db.Tasks.AnyAsync(t => t.ProjectId == projectId && t.Name == body.Name, cancellationToken))
        {
            return NameTaken(body.Name!);
        }

        var now = clock.GetUtcNow();
        var row = new TaskRow { ProjectId = projectId, CreatedBy = user.GetUserId(), CreatedAt = now.ToUnixMs(), UpdatedAt = now.ToUnixMs() };
        body.ApplyTo(row);
        try
        {
            row.Id = await db.InsertWithInt64IdentityAsync(row, token: cancellationToken);
        }
        catch (Exception e) when (DbErrors.IsUniqueViolation(e))
        {
            return NameTaken(body.Name!);
        }

        changes.Changed(row.Id);
        return TypedResults.Created($"/api/v1/projects/{projectId}/tasks/{row.Id}", TaskResponse.From(row, options.Value, now, 0) with
        {
            Warnings = OnlineAgent.Warnings(row.Executor, projectId, registry, agents),
        });
    }

    internal static IResult NameTaken(string name) =>
        Problems.Conflict($"A task named '{name}' already exists in this project.");
}
