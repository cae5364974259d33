using GopherCron.Modules.Projects.Data;
using GopherCron.Modules.Projects.Domain;
using GopherCron.Modules.Shared.Time;

namespace GopherCron.Modules.Projects.Features;

/// <param name="Role">The caller's effective role (a system administrator is admin of every project).</param>
internal sealed record ProjectResponse(
    long Id, string Name, string Remark, string Role, long CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ProjectResponse From(ProjectRow row, int role) => new(
        row.Id, row.Name, row.Remark, ProjectRoles.ToText(role), row.CreatedBy, UnixTime.FromUnixMs(row.CreatedAt), UnixTime.FromUnixMs(row.UpdatedAt));
}

internal static class ProjectRules
{
    public const int NameMaxLength = 100;
    public const int RemarkMaxLength = 1000;
}
