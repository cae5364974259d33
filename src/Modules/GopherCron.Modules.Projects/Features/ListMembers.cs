using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Projects.Data;
using GopherCron.Modules.Users.Contracts;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GopherCron.Modules.Projects.Features;

internal static class ListMembers
{
    public static RouteHandlerBuilder MapListMembers(this IEndpointRouteBuilder project) =>
        project.MapGet("/members", HandleAsync)
            .WithName(nameof(ListMembers))
            .RequireProjectRole(ProjectRole.Viewer);

    private static async Task<Ok<List<MemberResponse>>> HandleAsync(long projectId, ProjectsDb db, IUserDirectory users, CancellationToken ct)
    {
        var members = await db.Members.Where(m => m.ProjectId == projectId).OrderBy(m => m.CreatedAt).ThenBy(m => m.UserId).ToListAsync(ct);
        var known = await users.GetManyAsync(members.ConvertAll(m => m.UserId), ct);
        return TypedResults.Ok(members.ConvertAll(m => MemberResponse.From(m, known.GetValueOrDefault(m.UserId))));
    }
}
