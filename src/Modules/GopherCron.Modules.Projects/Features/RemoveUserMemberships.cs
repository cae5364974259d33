using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Projects.Data;
using GopherCron.Modules.Users.Contracts;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;

namespace GopherCron.Modules.Projects.Features;

/// <summary>
/// When a user is deleted, their memberships go with them, unless that would leave a project without an admin: then
/// the deletion is refused (409) naming the projects, so that an administrator hands them over or deletes them first.
/// </summary>
internal sealed class RemoveUserMemberships : IUserDeletionParticipant
{
    public async Task DeleteUserDataAsync(DataConnection connection, long userId, CancellationToken cancellationToken)
    {
        var members = connection.GetTable<MemberRow>();
        const int admin = (int)ProjectRole.Admin;
        var orphaned = await (
                from m in members
                join p in connection.GetTable<ProjectRow>() on m.ProjectId equals p.Id
                where m.UserId == userId && m.Role == admin
                      && !members.Any(o => o.ProjectId == m.ProjectId && o.UserId != userId && o.Role == admin)
                orderby p.Id
                select new { p.Id, p.Name })
            .ToListAsync(cancellationToken);
        if (orphaned.Count > 0)
        {
            throw new UserDeletionRefusedException(
                $"The user is the only admin of project(s) {string.Join(", ", orphaned.Select(p => $"'{p.Name}' (id {p.Id})"))}; make another member admin or delete the project(s) first.");
        }

        await members.Where(m => m.UserId == userId).DeleteAsync(cancellationToken);
    }
}
