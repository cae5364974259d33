using System.Text.RegularExpressions;
using FluentValidation;

namespace GopherCron.Modules.Users.Domain;

/// <summary>What an account name and a password may be.</summary>
internal static partial class AccountRules
{
    public const int AccountMinLength = 3;
    public const int AccountMaxLength = 64;
    public const int NameMaxLength = 100;

    // 6 so that GopherCron's well-known first password (123456) stays valid; the UI forces a change anyway.
    public const int PasswordMinLength = 6;
    public const int PasswordMaxLength = 128;

    /// <summary>Accounts are case-insensitive: stored and looked up lower-cased.</summary>
    public static string Normalize(string account) => account.Trim().ToLowerInvariant();

    public static bool IsValidPassword(string? password) =>
        password is { Length: >= PasswordMinLength and <= PasswordMaxLength };

    public static IRuleBuilderOptions<T, string> ValidAccount<T>(this IRuleBuilder<T, string> rule) => rule
        .NotEmpty()
        .Length(AccountMinLength, AccountMaxLength)
        .Matches(AccountPattern()).WithMessage("An account may contain only letters, digits and . _ @ -");

    public static IRuleBuilderOptions<T, string?> ValidPassword<T>(this IRuleBuilder<T, string?> rule) => rule
        .NotEmpty()
        .Length(PasswordMinLength, PasswordMaxLength);

    public static IRuleBuilderOptions<T, string> ValidName<T>(this IRuleBuilder<T, string> rule) => rule
        .NotEmpty()
        .MaximumLength(NameMaxLength);

    [GeneratedRegex("^[a-zA-Z0-9._@-]+$")]
    private static partial Regex AccountPattern();
}
