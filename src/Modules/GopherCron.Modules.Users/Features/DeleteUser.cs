using System.Security.Claims;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Security;
using GopherCron.Modules.Users.Authentication;
using GopherCron.Modules.Users.Contracts;
using GopherCron.Modules.Users.Data;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace GopherCron.Modules.Users.Features;

internal static class DeleteUser
{
    public static RouteHandlerBuilder MapDeleteUser(this IEndpointRouteBuilder users) =>
        users.MapDelete("/{userId:long}", HandleAsync).WithName(nameof(DeleteUser));

    private static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(
        long userId,
        ClaimsPrincipal caller,
        UsersDb db,
        IEnumerable<IUserDeletionParticipant> participants,
        SessionStore sessions,
        ILogger<UsersModule> logger,
        CancellationToken ct)
    {
        var actorId = caller.GetUserId();
        if (userId == actorId)
        {
            return Problems.Conflict("You cannot delete yourself; ask another administrator.");
        }

        await using (var tx = await db.BeginTransactionAsync(ct))
        {
            var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
            if (user is null)
            {
                return Problems.NotFound($"User {userId} does not exist.");
            }

            if (user.IsAdmin && await db.Users.CountAsync(u => u.IsAdmin, ct) <= 1)
            {
                return Problems.Conflict($"User '{user.Account}' is the last system administrator.");
            }

            try
            {
                foreach (var participant in participants)
                {
                    await participant.DeleteUserDataAsync(db, userId, ct);
                }
            }
            catch (UserDeletionRefusedException refused)
            {
                // Disposing the transaction rolls back whatever the participants already did.
                return Problems.Conflict(refused.Message);
            }

            await db.Sessions.Where(s => s.UserId == userId).DeleteAsync(ct);
            await db.Users.Where(u => u.Id == userId).DeleteAsync(ct);
            await tx.CommitAsync(ct);
        }

        sessions.ForgetUser(userId);
        logger.UserDeleted(userId, actorId);
        return TypedResults.NoContent();
    }
}
