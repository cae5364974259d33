using System.Data.Common;
using System.Security.Claims;
using FluentValidation;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Projects.Data;
using GopherCron.Modules.Projects.Domain;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Security;
using GopherCron.Modules.Shared.Time;
using GopherCron.Modules.Shared.Validation;
using GopherCron.Modules.Users.Contracts;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace GopherCron.Modules.Projects.Features;

internal sealed record AddMemberRequest(string Account, string Role);

internal sealed class AddMemberValidator : AbstractValidator<AddMemberRequest>
{
    public AddMemberValidator()
    {
        RuleFor(r => r.Account).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Role).Must(r => ProjectRoles.Parse(r) is not null).WithMessage($"The role must be {ProjectRoles.Allowed}.");
    }
}

internal static class AddMember
{
    public static RouteHandlerBuilder MapAddMember(this IEndpointRouteBuilder project) =>
        project.MapPost("/members", HandleAsync)
            .WithName(nameof(AddMember))
            .RequireProjectRole(ProjectRole.Admin)
            .WithValidation<AddMemberRequest>();

    private static async Task<Results<Created<MemberResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        long projectId,
        AddMemberRequest request,
        ClaimsPrincipal caller,
        ProjectsDb db,
        IUserDirectory users,
        TimeProvider clock,
        ILogger<ProjectsModule> logger,
        CancellationToken ct)
    {
        var user = await users.FindByAccountAsync(request.Account, ct);
        if (user is null)
        {
            return Problems.Field("account", $"No user has the account '{request.Account}'.");
        }

        var row = new MemberRow
        {
            ProjectId = projectId,
            UserId = user.Id,
            Role = (int)ProjectRoles.Parse(request.Role)!.Value,
            CreatedAt = clock.GetUtcNow().ToUnixMs(),
        };
        if (await db.Members.AnyAsync(m => m.ProjectId == projectId && m.UserId == user.Id, ct))
        {
            return AlreadyMember(user);
        }

        try
        {
            await db.InsertAsync(row, token: ct);
        }
        catch (DbException)
        {
            // A concurrent add of the same user won the primary key.
            if (await db.Members.AnyAsync(m => m.ProjectId == projectId && m.UserId == user.Id, ct))
            {
                return AlreadyMember(user);
            }

            throw;
        }

        logger.MemberRoleSet(projectId, user.Id, request.Role, caller.GetUserId());
        return TypedResults.Created($"/api/v1/projects/{projectId}/members/{user.Id}", MemberResponse.From(row, user));
    }

    private static ProblemHttpResult AlreadyMember(UserSummary user) =>
        Problems.Conflict($"'{user.Account}' is already a member; change the role with PUT .../members/{user.Id}.");
}
