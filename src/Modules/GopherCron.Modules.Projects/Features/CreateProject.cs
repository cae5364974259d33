using System.Security.Claims;
using FluentValidation;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Projects.Data;
using GopherCron.Modules.Projects.Domain;
using GopherCron.Modules.Shared.Security;
using GopherCron.Modules.Shared.Time;
using GopherCron.Modules.Shared.Validation;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace GopherCron.Modules.Projects.Features;

internal sealed record CreateProjectRequest(string Name, string? Remark);

internal sealed class CreateProjectValidator : AbstractValidator<CreateProjectRequest>
{
    public CreateProjectValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(ProjectRules.NameMaxLength);
        RuleFor(r => r.Remark).MaximumLength(ProjectRules.RemarkMaxLength);
    }
}

internal static class CreateProject
{
    public static RouteHandlerBuilder MapCreateProject(this IEndpointRouteBuilder projects) =>
        projects.MapPost("/", HandleAsync)
            .WithName(nameof(CreateProject))
            .WithValidation<CreateProjectRequest>();

    private static async Task<Created<ProjectResponse>> HandleAsync(
        CreateProjectRequest request, ClaimsPrincipal caller, ProjectsDb db, TimeProvider clock, ILogger<ProjectsModule> logger, CancellationToken ct)
    {
        var userId = caller.GetUserId();
        var now = clock.GetUtcNow().ToUnixMs();
        var project = new ProjectRow
        {
            Name = request.Name.Trim(),
            Remark = request.Remark?.Trim() ?? "",
            Token = ProjectToken.Create(),
            CreatedBy = userId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using (var tx = await db.BeginTransactionAsync(ct))
        {
            project.Id = await db.InsertWithInt64IdentityAsync(project, token: ct);
            await db.InsertAsync(new MemberRow { ProjectId = project.Id, UserId = userId, Role = (int)ProjectRole.Admin, CreatedAt = now }, token: ct);
            await tx.CommitAsync(ct);
        }

        logger.ProjectCreated(project.Id, userId);
        return TypedResults.Created($"/api/v1/projects/{project.Id}", ProjectResponse.From(project, (int)ProjectRole.Admin));
    }
}
