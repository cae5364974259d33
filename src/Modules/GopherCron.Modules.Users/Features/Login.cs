using System.Globalization;
using FluentValidation;
using GopherCron.Modules.Shared.Time;
using GopherCron.Modules.Shared.Validation;
using GopherCron.Modules.Users.Data;
using GopherCron.Modules.Users.Domain;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GopherCron.Modules.Users.Features;

internal sealed record LoginRequest(string Account, string Password);

internal sealed record LoginResponse(string Token, DateTimeOffset ExpiresAt, bool MustChangePassword, UserResponse User);

internal sealed class LoginValidator : AbstractValidator<LoginRequest>
{
    public LoginValidator()
    {
        RuleFor(r => r.Account).NotEmpty().MaximumLength(AccountRules.AccountMaxLength);
        RuleFor(r => r.Password).NotEmpty().MaximumLength(AccountRules.PasswordMaxLength);
    }
}

internal static class Login
{
    private const string Wrong = "Account or password is wrong.";

    public static RouteHandlerBuilder MapLogin(this IEndpointRouteBuilder auth) =>
        auth.MapPost("/login", HandleAsync)
            .WithName(nameof(Login))
            .AllowAnonymous()
            .WithValidation<LoginRequest>();

    private static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> HandleAsync(
        LoginRequest request,
        UsersDb db,
        LoginThrottle throttle,
        IOptions<UsersOptions> options,
        TimeProvider clock,
        HttpContext http,
        ILogger<UsersModule> logger,
        CancellationToken ct)
    {
        var account = AccountRules.Normalize(request.Account);
        if (throttle.BlockedFor(account) is { } wait)
        {
            logger.SignInThrottled(account);
            return TooManyAttempts(http, wait);
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.Account == account, ct);
        var check = user is null ? PasswordHasher.VerifyDecoy(request.Password) : PasswordHasher.Verify(request.Password, user.PasswordHash);
        if (user is null || check == PasswordCheck.Wrong)
        {
            throttle.RecordFailure(account);
            logger.SignInFailed(account);
            return TypedResults.Problem(Wrong, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        }

        throttle.Reset(account);
        var now = clock.GetUtcNow();
        var token = AccessToken.Create();
        var expiresAt = now + options.Value.TokenLifetime;
        await using (var tx = await db.BeginTransactionAsync(ct))
        {
            if (check == PasswordCheck.CorrectNeedsRehash)
            {
                await db.Users.Where(u => u.Id == user.Id).Set(u => u.PasswordHash, PasswordHasher.Hash(request.Password)).UpdateAsync(ct);
            }

            // Expired sessions are swept here, per user, rather than by a background job.
            var nowMs = now.ToUnixMs();
            await db.Sessions.Where(s => s.UserId == user.Id && s.ExpiresAt <= nowMs).DeleteAsync(ct);
            await db.InsertAsync(new SessionRow
            {
                TokenHash = AccessToken.Hash(token),
                UserId = user.Id,
                CreatedAt = nowMs,
                ExpiresAt = expiresAt.ToUnixMs(),
                LastSeenAt = nowMs,
            }, token: ct);
            await tx.CommitAsync(ct);
        }

        logger.SignedIn(user.Id, user.Account);
        return TypedResults.Ok(new LoginResponse(token, UnixTime.FromUnixMs(expiresAt.ToUnixMs()), user.MustChangePassword, UserResponse.From(user)));
    }

    public static ProblemHttpResult TooManyAttempts(HttpContext http, TimeSpan wait)
    {
        var seconds = (int)Math.Ceiling(wait.TotalSeconds);
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            $"Too many wrong passwords for this account; try again in {seconds} seconds.",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many attempts");
    }
}
