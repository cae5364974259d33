using System.Buffers.Text;
using System.Security.Cryptography;

namespace GopherCron.Modules.Projects.Domain;

/// <summary>The secret an agent presents for a project: 32 random bytes, base64url.</summary>
internal static class ProjectToken
{
    public static string Create() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
