using GopherCron.Modules.Users.Contracts;
using GopherCron.Modules.Users.Data;
using GopherCron.Modules.Users.Domain;
using LinqToDB;
using LinqToDB.Async;

namespace GopherCron.Modules.Users;

internal sealed class UserDirectory(UsersDb db) : IUserDirectory
{
    public async Task<UserSummary?> FindByAccountAsync(string account, CancellationToken cancellationToken)
    {
        var normalized = AccountRules.Normalize(account);
        return await db.Users
            .Where(u => u.Account == normalized)
            .Select(u => new UserSummary(u.Id, u.Account, u.Name))
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<long, UserSummary>> GetManyAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<long, UserSummary>(ids.Count);
        foreach (var chunk in ids.Distinct().Chunk(500))
        {
            var found = await db.Users
                .Where(u => chunk.Contains(u.Id))
                .Select(u => new UserSummary(u.Id, u.Account, u.Name))
                .ToListAsync(cancellationToken);
            foreach (var user in found)
            {
                result[user.Id] = user;
            }
        }

        return result;
    }
}
