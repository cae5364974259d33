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

internal static class GetUser
{
    public static RouteHandlerBuilder MapGetUser(this IEndpointRouteBuilder users) =>
        users.MapGet("/{userId:long}", HandleAsync).WithName(nameof(GetUser));

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> HandleAsync(long userId, ClaimsPrincipal caller, UsersDb db, CancellationToken ct)
    {
        // Others' accounts are not probeable: a non-admin gets the same 404 whether or not the user exists.
        var user = caller.IsSystemAdmin() || caller.GetUserId() == userId
            ? await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct)
            : null;
        return user is null ? Problems.NotFound($"User {userId} does not exist.") : TypedResults.Ok(UserResponse.From(user));
    }
}
