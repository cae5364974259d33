using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using GopherCron.Modules.Shared.Security;
using GopherCron.Modules.Users.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GopherCron.Modules.Users.Authentication;

/// <summary>Authenticates <c>Authorization: Bearer &lt;token&gt;</c> against the sessions table.</summary>
internal sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SessionStore sessions,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The session's token hash, so that logout and password change know which session is the caller's.</summary>
    public const string SessionClaim = "gc:sid";

    private const string SignIn = "Sign in: send Authorization: Bearer <token> from POST /api/v1/auth/login.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header["Bearer ".Length..].Trim();
        if (!AccessToken.HasValidShape(token))
        {
            return AuthenticateResult.Fail("The bearer token is malformed.");
        }

        var session = await sessions.FindAsync(AccessToken.Hash(token), Context.RequestAborted);
        if (session is null)
        {
            return AuthenticateResult.Fail("The bearer token is unknown, expired or revoked.");
        }

        Claim[] claims =
        [
            new(CallerClaims.UserId, session.UserId.ToString(CultureInfo.InvariantCulture)),
            new(CallerClaims.Account, session.Account),
            new(ClaimTypes.Name, session.Account),
            new(CallerClaims.SystemAdmin, session.IsAdmin ? "true" : "false"),
            new(SessionClaim, session.TokenHash),
        ];
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, ClaimTypes.Name, ClaimTypes.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var detail = result.Failure is { } failure ? $"{failure.Message} {SignIn}" : SignIn;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "This needs a system administrator.");
    }

    private async Task WriteProblemAsync(int status, string title, string detail) =>
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
}
