using System.Security.Claims;
using FluentValidation;
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

/// <param name="TargetProjectId">Where the copy goes; the task's own project when absent.</param>
/// <param name="Name">The copy's name; by default the original's, with " (copy)" when that name is taken there.</param>
internal sealed record CopyTaskBody(long? TargetProjectId, string? Name);

internal sealed class CopyTaskBodyValidator : AbstractValidator<CopyTaskBody>
{
    public CopyTaskBodyValidator()
    {
        RuleFor(b => b.TargetProjectId).GreaterThan(0).When(b => b.TargetProjectId is not null)
            .WithMessage("targetProjectId must be a project id.");
        RuleFor(b => b.Name).NotEmpty().WithMessage("name must not be empty.")
            .MaximumLength(100).WithMessage("name must be at most 100 characters.")
            .Must(n => n is null || !n.Any(char.IsControl)).WithMessage("name must not contain control characters.")
            .Must(n => n is null || n.Trim() == n).WithMessage("name must not start or end with spaces.")
            .When(b => b.Name is not null);
    }
}

/// <summary>
/// Copies a task's whole definition, in its project or into another one where the caller is also a manager. The copy
/// starts paused: two identical schedules firing at once is rarely what a copy is for.
/// </summary>
internal static class CopyTask
{
    public static RouteHandlerBuilder MapCopyTask(this IEndpointRouteBuilder group) =>
        group.MapPost("/{taskId:long}/copy", HandleAsync)
            .WithName(nameof(CopyTask))
            .RequireProjectRole(ProjectRole.Manager)
            .WithValidation<CopyTaskBody>();

    private static async Task<IResult> HandleAsync(
        long projectId, long taskId, CopyTaskBody body, ClaimsPrincipal user, IProjectAccess access, TasksDb db,
        TaskChangeFeed changes, IOptions<TasksOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var source = await db.Tasks.FirstOrDefaultAsync(t => t.Id == taskId && t.ProjectId == projectId, cancellationToken);
        if (source is null)
        {
            return TaskLookup.NotFound(projectId, taskId);
        }

        var target = body.TargetProjectId ?? projectId;
        if (target != projectId)
        {
            var role = await access.GetRoleAsync(target, user, cancellationToken);
            if (role is null)
            {
                return Problems.Field("targetProjectId", $"Project {target} does not exist or you are not a member of it.");
            }

            if (role < ProjectRole.Manager)
            {
                return Problems.Forbidden($"Copying into project {target} needs the manager role there; you are {role.Value.ToString().ToLowerInvariant()}.");
            }
        }

        var name = body.Name;
        if (name is null)
        {
            name = source.Name;
            if (await db.Tasks.AnyAsync(t => t.ProjectId == target && t.Name == name, cancellationToken))
            {
                name = Shorten(source.Name, " (copy)");
                for (var n = 2; await db.Tasks.AnyAsync(t => t.ProjectId == target && t.Name == name, cancellationToken); n++)
                {
                    name = Shorten(source.Name, $" (copy {n})");
                }
            }
        }
        else if (await db.Tasks.AnyAsync(t => t.ProjectId == target && t.Name == name, cancellationToken))
        {
            return CreateTask.NameTaken(name);
        }

        var now = clock.GetUtcNow();
        var copy = new TaskRow
        {
            ProjectId = target,
            Name = name,
            Cron = source.Cron,
            TimeZone = source.TimeZone,
            Executor = source.Executor,
            ConfigJson = source.ConfigJson,
            TimeoutSeconds = source.TimeoutSeconds,
            Enabled = false,
            Overlap = source.Overlap,
            Misfire = source.Misfire,
            CatchUpSeconds = source.CatchUpSeconds,
            Parallel = source.Parallel,
            RetryAttempts = source.RetryAttempts,
            RetryBackoffSeconds = source.RetryBackoffSeconds,
            Remark = source.Remark,
            RequiredLabels = source.RequiredLabels,
            CreatedBy = user.GetUserId(),
            CreatedAt = now.ToUnixMs(),
            UpdatedAt = now.ToUnixMs(),
        };
        try
        {
            copy.Id = await db.InsertWithInt64IdentityAsync(copy, token: cancellationToken);
        }
        catch (Exception e) when (DbErrors.IsUniqueViolation(e))
        {
            return CreateTask.NameTaken(name);
        }

        changes.Changed(copy.Id);
        return TypedResults.Created($"/api/v1/projects/{target}/tasks/{copy.Id}", TaskResponse.From(copy, options.Value, now, 0));
    }

    private static string Shorten(string name, string suffix) =>
        name.Length + suffix.Length <= 100 ? name + suffix : name[..(100 - suffix.Length)] + suffix;
}
