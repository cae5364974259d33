using System.Security.Claims;
using GopherCron.Modules.Shared.Security;
using GopherCron.Modules.Users.Authentication;
using GopherCron.Modules.Users.Data;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GopherCron.Modules.Users.Features;

internal static class Logout
{
    public static RouteHandlerBuilder MapLogout(this IEndpointRouteBuilder auth) =>
        auth.MapPost("/logout", HandleAsync).WithName(nameof(Logout));

    private static async Task<NoContent> HandleAsync(ClaimsPrincipal caller, UsersDb db, SessionStore sessions, CancellationToken ct)
    {
        var tokenHash = caller.FindFirstValue(TokenAuthenticationHandler.SessionClaim);
        await db.Sessions.Where(s => s.TokenHash == tokenHash).DeleteAsync(ct);
        sessions.ForgetUser(caller.GetUserId());
        return TypedResults.NoContent();
    }
}
