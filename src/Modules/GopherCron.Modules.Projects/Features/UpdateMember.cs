using System.Security.Claims;
using FluentValidation;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Projects.Data;
using GopherCron.Modules.Projects.Domain;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Security;
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

internal sealed record UpdateMemberRequest(string Role);

internal sealed class UpdateMemberValidator : AbstractValidator<UpdateMemberRequest>
{
    public UpdateMemberValidator()
    {
        RuleFor(r => r.Role).Must(r => ProjectRoles.Parse(r) is not null).WithMessage($"The role must be {ProjectRoles.Allowed}.");
    }
}

internal static class UpdateMember
{
    public static RouteHandlerBuilder MapUpdateMember(this IEndpointRouteBuilder project) =>
        project.MapPut("/members/{userId:long}", HandleAsync)
            .WithName(nameof(UpdateMember))
            .RequireProjectRole(ProjectRole.Admin)
            .WithValidation<UpdateMemberRequest>();

    private static async Task<Results<Ok<MemberResponse>, ProblemHttpResult>> HandleAsync(
        long projectId,
        long userId,
        UpdateMemberRequest request,
        ClaimsPrincipal caller,
        ProjectsDb db,
        IUserDirectory users,
        ILogger<ProjectsModule> logger,
        CancellationToken ct)
    {
        var role = (int)ProjectRoles.Parse(request.Role)!.Value;
        MemberRow? member;
        await using (var tx = await db.BeginTransactionAsync(ct))
        {
            member = await db.Members.FirstOrDefaultAsync(m => m.ProjectId == projectId && m.UserId == userId, ct);
            if (member is null)
            {
                return Problems.NotFound($"User {userId} is not a member of project {projectId}.");
            }

            if (role != (int)ProjectRole.Admin && await Membership.IsLastAdminAsync(db, projectId, userId, ct))
            {
                return Problems.Conflict("This is the project's last admin; make another member admin first.");
            }

            member.Role = role;
            await db.Members.Where(m => m.ProjectId == projectId && m.UserId == userId).Set(m => m.Role, role).UpdateAsync(ct);
            await tx.CommitAsync(ct);
        }

        logger.MemberRoleSet(projectId, userId, request.Role, caller.GetUserId());
        var known = await users.GetManyAsync([userId], ct);
        return TypedResults.Ok(MemberResponse.From(member, known.GetValueOrDefault(userId)));
    }
}
