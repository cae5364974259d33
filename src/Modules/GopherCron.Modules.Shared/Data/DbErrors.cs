using Microsoft.Data.Sqlite;
using MySqlConnector;

namespace GopherCron.Modules.Shared.Data;

public static class DbErrors
{
    /// <summary>True when the store refused a write because a unique key already holds the value (a lost race, not a bug).</summary>
    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: 19 } => true,
        MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry } => true,
        _ => exception.InnerException is { } inner && IsUniqueViolation(inner),
    };
}
