using System.ComponentModel.DataAnnotations;

namespace GopherCron.Modules.Users;

internal sealed class UsersOptions
{
    public const string Section = "Users";

    /// <summary>Top-level key (so the environment variable of the same name) for the first administrator's password.</summary>
    public const string AdminPasswordKey = "GOPHERCRON_ADMIN_PASSWORD";

    /// <summary>How long a bearer token from <c>POST /api/v1/auth/login</c> stays valid (fixed, not sliding).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00", ErrorMessage = "Users:TokenLifetime must be between 1 minute and 365 days.")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(7);
}
