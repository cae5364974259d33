namespace GopherCron.Modules.Users.Contracts;

/// <summary>Looks up users for other modules (for example to add a project member by account).</summary>
public interface IUserDirectory
{
    /// <summary>Finds a user by account name (case-insensitive); null when none exists.</summary>
    /// <param name="account">The account name.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    Task<UserSummary?> FindByAccountAsync(string account, CancellationToken cancellationToken);

    /// <summary>Returns the users among <paramref name="ids"/> that exist, keyed by id.</summary>
    /// <param name="ids">User ids.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    Task<IReadOnlyDictionary<long, UserSummary>> GetManyAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken);
}

/// <summary>What other modules may know about a user.</summary>
/// <param name="Id">The user id.</param>
/// <param name="Account">The login name.</param>
/// <param name="Name">The display name.</param>
public sealed record UserSummary(long Id, string Account, string Name);

/// <summary>Lets modules clean up what belongs to a user that is being deleted, in the same transaction.</summary>
public interface IUserDeletionParticipant
{
    /// <summary>Removes or reassigns the module's data tied to the user; runs inside the deleting transaction.</summary>
    /// <param name="connection">The open connection carrying the transaction.</param>
    /// <param name="userId">The user being deleted.</param>
    /// <param name="cancellationToken">Cancels the work (and so the deletion).</param>
    Task DeleteUserDataAsync(LinqToDB.Data.DataConnection connection, long userId, CancellationToken cancellationToken);
}
