using System.Security.Cryptography;
using System.Text;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Projects.Data;
using GopherCron.Modules.Shared.Data;
using LinqToDB.Async;

namespace GopherCron.Modules.Projects;

internal sealed class ProjectTokens(Database database) : IProjectTokens
{
    public async Task<bool> ValidateAsync(long projectId, string token, CancellationToken cancellationToken)
    {
        await using var db = new ProjectsDb(database.Options);
        var expected = await db.Projects.Where(p => p.Id == projectId).Select(p => p.Token).FirstOrDefaultAsync(cancellationToken);

        // Hashing first makes both sides the same length, so the comparison leaks neither content nor length.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        var stored = SHA256.HashData(Encoding.UTF8.GetBytes(expected ?? ""));
        return CryptographicOperations.FixedTimeEquals(presented, stored) && expected is { Length: > 0 };
    }
}
