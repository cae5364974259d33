using FluentValidation;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Projects.Data;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Time;
using GopherCron.Modules.Shared.Validation;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GopherCron.Modules.Projects.Features;

internal sealed record UpdateProjectRequest(string Name, string? Remark);

internal sealed class UpdateProjectValidator : AbstractValidator<UpdateProjectRequest>
{
    public UpdateProjectValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(ProjectRules.NameMaxLength);
        RuleFor(r => r.Remark).MaximumLength(ProjectRules.RemarkMaxLength);
    }
}

internal static class UpdateProject
{
    public static RouteHandlerBuilder MapUpdateProject(this IEndpointRouteBuilder project) =>
        project.MapPut("/", HandleAsync)
            .WithName(nameof(UpdateProject))
            .RequireProjectRole(ProjectRole.Admin)
            .WithValidation<UpdateProjectRequest>();

    private static async Task<Results<Ok<ProjectResponse>, ProblemHttpResult>> HandleAsync(
        long projectId, UpdateProjectRequest request, ProjectsDb db, TimeProvider clock, CancellationToken ct)
    {
        var updated = await db.Projects
            .Where(p => p.Id == projectId)
            .Set(p => p.Name, request.Name.Trim())
            .Set(p => p.Remark, request.Remark == null ? "" : request.Remark.Trim())
            .Set(p => p.UpdatedAt, clock.GetUtcNow().ToUnixMs())
            .UpdateAsync(ct);
        var row = updated == 0 ? null : await db.Projects.FirstOrDefaultAsync(p => p.Id == projectId, ct);

        // Only admins reach this handler, so the caller's role is admin.
        return row is null
            ? Problems.NotFound($"Project {projectId} does not exist.")
            : TypedResults.Ok(ProjectResponse.From(row, (int)ProjectRole.Admin));
    }
}
