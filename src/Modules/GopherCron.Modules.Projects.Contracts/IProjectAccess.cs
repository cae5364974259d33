using System.Security.Claims;

namespace GopherCron.Modules.Projects.Contracts;

/// <summary>Answers what a caller may do in a project.</summary>
public interface IProjectAccess
{
    /// <summary>
    /// The caller's effective role in the project: a system administrator is <see cref="ProjectRole.Admin"/> of every
    /// project. Null when the project does not exist or the caller is not a member; callers answer 404 in both cases
    /// so that non-members cannot probe which projects exist.
    /// </summary>
    /// <param name="projectId">The project.</param>
    /// <param name="user">The authenticated caller.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    Task<ProjectRole?> GetRoleAsync(long projectId, ClaimsPrincipal user, CancellationToken cancellationToken);

    /// <summary>The ids of the projects the caller can see (all projects for a system administrator).</summary>
    /// <param name="user">The authenticated caller.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    Task<IReadOnlyCollection<long>> VisibleProjectIdsAsync(ClaimsPrincipal user, CancellationToken cancellationToken);
}

/// <summary>Lets modules delete what belongs to a project that is being deleted, in the same transaction.</summary>
public interface IProjectDeletionParticipant
{
    /// <summary>Deletes the module's rows for the project; runs inside the deleting transaction.</summary>
    /// <param name="connection">The open connection carrying the transaction.</param>
    /// <param name="projectId">The project being deleted.</param>
    /// <param name="cancellationToken">Cancels the work (and so the deletion).</param>
    Task DeleteProjectDataAsync(LinqToDB.Data.DataConnection connection, long projectId, CancellationToken cancellationToken);

    /// <summary>Called after the deletion committed, to drop in-memory state (schedules, running work).</summary>
    /// <param name="projectId">The deleted project.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    Task ProjectDeletedAsync(long projectId, CancellationToken cancellationToken);
}
