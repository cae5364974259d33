using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GopherCron.Modules.Users.Domain;

internal enum PasswordCheck
{
    Wrong,
    Correct,

    /// <summary>Correct, but hashed with weaker parameters than today's: store a fresh hash.</summary>
    CorrectNeedsRehash,
}

/// <summary>
/// PBKDF2-HMAC-SHA512 in a self-describing format, <c>pbkdf2-sha512$iterations$salt$hash</c> (base64), so the
/// work factor can rise later without invalidating stored hashes.
/// </summary>
internal static class PasswordHasher
{
    public const int Iterations = 210_000;
    private const string Scheme = "pbkdf2-sha512";
    private const int SaltBytes = 16;
    private const int KeyBytes = 32;

    // Verified against when the account does not exist, so that an unknown account costs as much as a wrong password
    // and response times do not reveal which accounts exist.
    private static readonly string Decoy = Hash("decoy-password-never-matches");

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var key = Derive(password, salt, Iterations);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(key)}");
    }

    public static PasswordCheck Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations is < 1 or > 10_000_000)
        {
            return PasswordCheck.Wrong;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return PasswordCheck.Wrong;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, expected.Length);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            return PasswordCheck.Wrong;
        }

        return iterations < Iterations || salt.Length < SaltBytes || expected.Length < KeyBytes
            ? PasswordCheck.CorrectNeedsRehash
            : PasswordCheck.Correct;
    }

    /// <summary>Spends the same work as a real verification and always fails.</summary>
    public static PasswordCheck VerifyDecoy(string password)
    {
        Verify(password, Decoy);
        return PasswordCheck.Wrong;
    }

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, KeyBytes);
}
