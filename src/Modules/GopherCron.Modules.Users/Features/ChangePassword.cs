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

internal sealed record ChangePasswordRequest(string CurrentPassword, string NewPassword);

internal sealed class ChangePasswordValidator : AbstractValidator<ChangePasswordRequest>
{
    public ChangePasswordValidator()
    {
        RuleFor(r => r.CurrentPassword).NotEmpty().MaximumLength(AccountRules.PasswordMaxLength);
        RuleFor(r => r.NewPassword).ValidPassword()
            .NotEqual(r => r.CurrentPassword).WithMessage("The new password must differ from the current one.");
    }
}

internal static class ChangePassword
{
    public static RouteHandlerBuilder MapChangePassword(this IEndpointRouteBuilder auth) =>
        auth.MapPost("/password", HandleAsync)
            .WithName(nameof(ChangePassword))
            .WithValidation<ChangePasswordRequest>();

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> HandleAsync(
        ChangePasswordRequest request,
        ClaimsPrincipal caller,
        UsersDb db,
        SessionStore sessions,
        LoginThrottle throttle,
        TimeProvider clock,
        HttpContext http,
        ILogger<UsersModule> logger,
        CancellationToken ct)
    {
        var userId = caller.GetUserId();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return Problems.NotFound("Your user no longer exists.");
        }

        // A stolen token must not become a way around the login throttle.
        if (throttle.BlockedFor(user.Account) is { } wait)
        {
            return Login.TooManyAttempts(http, wait);
        }

        if (PasswordHasher.Verify(request.CurrentPassword, user.PasswordHash) == PasswordCheck.Wrong)
        {
            throttle.RecordFailure(user.Account);
            return Problems.Field("currentPassword", "The current password is wrong.");
        }

        var currentSession = caller.FindFirstValue(TokenAuthenticationHandler.SessionClaim);
        int revoked;
        await using (var tx = await db.BeginTransactionAsync(ct))
        {
            await db.Users
                .Where(u => u.Id == userId)
                .Set(u => u.PasswordHash, PasswordHasher.Hash(request.NewPassword))
                .Set(u => u.MustChangePassword, false)
                .Set(u => u.UpdatedAt, clock.GetUtcNow().ToUnixMs())
                .UpdateAsync(ct);
            revoked = await db.Sessions.Where(s => s.UserId == userId && s.TokenHash != currentSession).DeleteAsync(ct);
            await tx.CommitAsync(ct);
        }

        sessions.ForgetUser(userId);
        logger.PasswordChanged(userId, revoked);
        return TypedResults.NoContent();
    }
}
