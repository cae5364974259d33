using System.Security.Claims;

namespace GopherCron.Modules.Shared.Security;

/// <summary>Claim names of an authenticated GopherCron caller.</summary>
public static class CallerClaims
{
    public const string UserId = "gc:uid";
    public const string Account = "gc:account";
    public const string SystemAdmin = "gc:admin";
    public const string Scheme = "GopherCronToken";
}

public static class CallerExtensions
{
    /// <summary>The caller's user id; only valid on endpoints that require authorization.</summary>
    public static long GetUserId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(CallerClaims.UserId)
            ?? throw new InvalidOperationException("The endpoint was reached without an authenticated user."),
            System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsSystemAdmin(this ClaimsPrincipal user) => user.HasClaim(CallerClaims.SystemAdmin, "true");
}
