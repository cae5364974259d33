using GopherCron.Modules.Projects.Contracts;

namespace GopherCron.Modules.Projects.Domain;

/// <summary>Roles as the API spells them: <c>admin</c>, <c>manager</c>, <c>viewer</c>.</summary>
internal static class ProjectRoles
{
    public const string Allowed = "admin, manager or viewer";

    public static ProjectRole? Parse(string? text) => text switch
    {
        "admin" => ProjectRole.Admin,
        "manager" => ProjectRole.Manager,
        "viewer" => ProjectRole.Viewer,
        _ => null,
    };

    public static string ToText(ProjectRole role) => role switch
    {
        ProjectRole.Admin => "admin",
        ProjectRole.Manager => "manager",
        ProjectRole.Viewer => "viewer",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown project role."),
    };

    public static string ToText(int role) => ToText((ProjectRole)role);
}
