namespace GopherCron.Modules.Projects.Contracts;

/// <summary>A member's role in a project; a higher value includes every right of a lower one.</summary>
public enum ProjectRole
{
    /// <summary>Reads the project, its tasks, runs and output.</summary>
    Viewer = 1,

    /// <summary>Also creates, edits, deletes, runs, pauses and kills tasks.</summary>
    Manager = 2,

    /// <summary>Also edits and deletes the project, manages members and the project token.</summary>
    Admin = 3,
}
