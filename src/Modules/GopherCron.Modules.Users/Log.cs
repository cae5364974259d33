using Microsoft.Extensions.Logging;

namespace GopherCron.Modules.Users;

/// <summary>Users module events: ids 1000-1099.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "Created the initial administrator '{Account}'; change its password")]
    public static partial void AdminSeeded(this ILogger logger, string account);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "User {UserId} ('{Account}') signed in")]
    public static partial void SignedIn(this ILogger logger, long userId, string account);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Failed sign-in for account '{Account}'")]
    public static partial void SignInFailed(this ILogger logger, string account);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Sign-in for account '{Account}' throttled after repeated failures")]
    public static partial void SignInThrottled(this ILogger logger, string account);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "User {UserId} changed their password; {Revoked} other session(s) revoked")]
    public static partial void PasswordChanged(this ILogger logger, long userId, int revoked);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "User {UserId} ('{Account}') created by {ActorId}")]
    public static partial void UserCreated(this ILogger logger, long userId, string account, long actorId);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "User {UserId} updated by {ActorId} (admin: {IsAdmin}, password reset: {PasswordReset})")]
    public static partial void UserUpdated(this ILogger logger, long userId, long actorId, bool isAdmin, bool passwordReset);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "User {UserId} deleted by {ActorId}")]
    public static partial void UserDeleted(this ILogger logger, long userId, long actorId);
}
