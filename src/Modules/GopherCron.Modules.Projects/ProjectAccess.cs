using System.Security.Claims;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Projects.Data;
using GopherCron.Modules.Shared.Security;
using LinqToDB;
using LinqToDB.Async;

namespace GopherCron.Modules.Projects;

internal sealed class ProjectAccess(ProjectsDb db) : IProjectAccess
{
    public async Task<ProjectRole?> GetRoleAsync(long projectId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.IsSystemAdmin())
        {
            return await db.Projects.AnyAsync(p => p.Id == projectId, cancellationToken) ? ProjectRole.Admin : null;
        }

        var userId = user.GetUserId();
        var role = await db.Members
            .Where(m => m.ProjectId == projectId && m.UserId == userId)
            .Select(m => (int?)m.Role)
            .FirstOrDefaultAsync(cancellationToken);
        return role is { } value ? (ProjectRole)value : null;
    }

    public async Task<IReadOnlyCollection<long>> VisibleProjectIdsAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.IsSystemAdmin())
        {
            return await db.Projects.Select(p => p.Id).ToListAsync(cancellationToken);
        }

        var userId = user.GetUserId();
        return await db.Members.Where(m => m.UserId == userId).Select(m => m.ProjectId).ToListAsync(cancellationToken);
    }
}
