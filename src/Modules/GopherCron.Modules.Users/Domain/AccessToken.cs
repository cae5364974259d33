using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace GopherCron.Modules.Users.Domain;

/// <summary>Opaque bearer tokens: 32 random bytes, base64url; only their SHA-256 is stored.</summary>
internal static class AccessToken
{
    private const int TokenBytes = 32;

    /// <summary>Base64url length of <see cref="TokenBytes"/> bytes without padding.</summary>
    private const int TokenLength = 43;

    public static string Create() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Rejects garbage before it costs a lookup.</summary>
    public static bool HasValidShape(string token) => token.Length == TokenLength && Base64Url.IsValid(token);
}
