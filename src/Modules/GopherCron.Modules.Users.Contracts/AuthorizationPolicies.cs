namespace GopherCron.Modules.Users.Contracts;

/// <summary>Authorization policies the Users module registers, for other modules' endpoints.</summary>
public static class AuthorizationPolicies
{
    /// <summary>Only system administrators (<c>RequireAuthorization(AuthorizationPolicies.SystemAdmin)</c>); others get 403.</summary>
    public const string SystemAdmin = "SystemAdmin";
}
