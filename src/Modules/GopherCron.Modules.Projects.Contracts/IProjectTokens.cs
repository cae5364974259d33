namespace GopherCron.Modules.Projects.Contracts;

/// <summary>Checks the project tokens agents present.</summary>
public interface IProjectTokens
{
    /// <summary>
    /// True when <paramref name="token"/> is the project's current token. The comparison takes the same time whatever
    /// the token's content, and an unknown project is indistinguishable from a wrong token.
    /// </summary>
    /// <param name="projectId">The project.</param>
    /// <param name="token">The token the agent presented.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    Task<bool> ValidateAsync(long projectId, string token, CancellationToken cancellationToken);
}
