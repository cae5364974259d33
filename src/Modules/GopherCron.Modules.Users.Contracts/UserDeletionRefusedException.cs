namespace GopherCron.Modules.Users.Contracts;

/// <summary>
/// Thrown by an <see cref="IUserDeletionParticipant"/> that cannot let the user go (for example the user is the last
/// administrator of a project). The deletion is rolled back and answered with 409 carrying <see cref="Exception.Message"/>.
/// </summary>
/// <remarks>
/// An exception because the participant runs deep inside the deleting transaction and the refusal must unwind it;
/// the Users module turns it into an ordinary 409 result, so it never reaches the client as a failure.
/// </remarks>
public sealed class UserDeletionRefusedException : Exception
{
    /// <summary>Refuses the deletion.</summary>
    /// <param name="message">Why, in words the administrator can act on (name the project).</param>
    public UserDeletionRefusedException(string message)
        : base(message)
    {
    }
}
