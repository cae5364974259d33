using System.Security.Claims;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Security;
using GopherCron.Modules.Users.Data;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GopherCron.Modules.Users.Features;

internal static class GetMe
{
    public static RouteHandlerBuilder MapGetMe(this IEndpointRouteBuilder auth) =>
        auth.MapGet("/me", HandleAsync).WithName(nameof(GetMe));

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> HandleAsync(ClaimsPrincipal caller, UsersDb db, CancellationToken ct)
    {
        var userId = caller.GetUserId();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
        return user is null ? Problems.NotFound("Your user no longer exists.") : TypedResults.Ok(UserResponse.From(user));
    }
}
