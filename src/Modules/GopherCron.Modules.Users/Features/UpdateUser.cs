using System.Security.Claims;
using FluentValidation;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Security;
using GopherCron.Modules.Shared.Time;
using GopherCron.Modules.Shared.Validation;
using GopherCron.Modules.Users.Authentication;
using GopherCron.Modules.Users.Data;
using GopherCron.Modules.Users.Domain;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace GopherCron.Modules.Users.Features;

/// <param name="IsAdmin">Required: a forgotten field must not silently demote an administrator.</param>
/// <param name="Password">When set, resets the user's password.</param>
internal sealed record UpdateUserRequest(string Name, bool? IsAdmin, string? Password);

internal sealed class UpdateUserValidator : AbstractValidator<UpdateUserRequest>
{
    public UpdateUserValidator()
    {
        RuleFor(r => r.Name).ValidName();
        RuleFor(r => r.IsAdmin).NotNull();
        RuleFor(r => r.Password).ValidPassword().When(r => r.Password is not null);
    }
}

internal static class UpdateUser
{
    public static RouteHandlerBuilder MapUpdateUser(this IEndpointRouteBuilder users) =>
        users.MapPut("/{userId:long}", HandleAsync)
            .WithName(nameof(UpdateUser))
            .WithValidation<UpdateUserRequest>();

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> HandleAsync(
        long userId,
        UpdateUserRequest request,
        ClaimsPrincipal caller,
        UsersDb db,
        SessionStore sessions,
        TimeProvider clock,
        ILogger<UsersModule> logger,
        CancellationToken ct)
    {
        var actorId = caller.GetUserId();
        var isAdmin = request.IsAdmin!.Value;
        UserRow? user;
        await using (var tx = await db.BeginTransactionAsync(ct))
        {
            user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
            if (user is null)
            {
                return Problems.NotFound($"User {userId} does not exist.");
            }

            if (user.IsAdmin && !isAdmin && await db.Users.CountAsync(u => u.IsAdmin, ct) <= 1)
            {
                return Problems.Conflict($"User '{user.Account}' is the last system administrator; make another user an administrator first.");
            }

            user.Name = request.Name.Trim();
            user.IsAdmin = isAdmin;
            user.UpdatedAt = clock.GetUtcNow().ToUnixMs();
            if (request.Password is { } password)
            {
                user.PasswordHash = PasswordHasher.Hash(password);

                // An administrator set someone else's password and knows it; resetting one's own is a plain change.
                user.MustChangePassword = user.MustChangePassword || userId != actorId;

                // A reset usually follows a leak: end the user's sessions (but not the caller's own).
                var keep = caller.FindFirstValue(TokenAuthenticationHandler.SessionClaim);
                await db.Sessions.Where(s => s.UserId == userId && s.TokenHash != keep).DeleteAsync(ct);
            }

            await db.UpdateAsync(user, token: ct);
            await tx.CommitAsync(ct);
        }

        // The admin flag travels in cached sessions; make the change effective now on this replica.
        sessions.ForgetUser(userId);
        logger.UserUpdated(userId, actorId, isAdmin, request.Password is not null);
        return TypedResults.Ok(UserResponse.From(user));
    }
}
