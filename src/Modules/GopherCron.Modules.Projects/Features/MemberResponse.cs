using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Projects.Data;
using GopherCron.Modules.Projects.Domain;
using GopherCron.Modules.Shared.Time;
using GopherCron.Modules.Users.Contracts;
using LinqToDB.Async;

namespace GopherCron.Modules.Projects.Features;

internal sealed record MemberResponse(long UserId, string Account, string Name, string Role, DateTimeOffset CreatedAt)
{
    public static MemberResponse From(MemberRow row, UserSummary? user) => new(
        row.UserId, user?.Account ?? "", user?.Name ?? "", ProjectRoles.ToText(row.Role), UnixTime.FromUnixMs(row.CreatedAt));
}

internal static class Membership
{
    /// <summary>True when <paramref name="userId"/> is the project's only admin member.</summary>
    public static async Task<bool> IsLastAdminAsync(ProjectsDb db, long projectId, long userId, CancellationToken ct)
    {
        var admins = await db.Members
            .Where(m => m.ProjectId == projectId && m.Role == (int)ProjectRole.Admin)
            .Select(m => m.UserId)
            .Take(2)
            .ToListAsync(ct);
        return admins.Count == 1 && admins[0] == userId;
    }
}
