using LinqToDB;
using LinqToDB.Data;
using LinqToDB.DataProvider.MySql;
using LinqToDB.DataProvider.SQLite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace GopherCron.Modules.Shared.Data;

public enum SqlDialect
{
    Sqlite,
    MySql,
}

/// <summary>
/// The one store every module's tables live in. Each module opens its own typed connection over these options
/// and touches only its own tables.
/// </summary>
public sealed class Database
{
    public Database(IOptions<DatabaseOptions> options)
    {
        var settings = options.Value;
        if (settings.Provider == "sqlite")
        {
            Dialect = SqlDialect.Sqlite;
            var builder = new SqliteConnectionStringBuilder(settings.ConnectionString);
            var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            // Busy waits are handled by Microsoft.Data.Sqlite's retry until the command timeout; give writers room.
            builder.DefaultTimeout = Math.Max(builder.DefaultTimeout, 30);
            builder.Pooling = true;
            ConnectionString = builder.ToString();
            // SQLite's own busy handler waits for the write lock in steps of a few ms. Without it, Microsoft.Data.Sqlite
            // retries a busy statement after fixed 150 ms sleeps, and the scheduler's claims starved behind the run
            // ledger's batches for seconds under load (load-tests: lateness at 1,000 tasks/s, docs/benchmarks.md).
            Options = new DataOptions().UseSQLite(ConnectionString, SQLiteProvider.Microsoft)
                .UseAfterConnectionOpened(SetBusyTimeout, SetBusyTimeoutAsync);
        }
        else
        {
            Dialect = SqlDialect.MySql;
            ConnectionString = settings.ConnectionString;
            var version = settings.Provider == "mariadb" ? MySqlVersion.MariaDB10 : MySqlVersion.MySql80;
            Options = new DataOptions().UseMySql(ConnectionString, version, MySqlProvider.MySqlConnector);
        }
    }

    public SqlDialect Dialect { get; }

    public string ConnectionString { get; }

    public DataOptions Options { get; }

    public DataConnection Open() => new(Options);

    private const string BusyTimeout = "PRAGMA busy_timeout = 30000;";

    private static void SetBusyTimeout(System.Data.Common.DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = BusyTimeout;
        command.ExecuteNonQuery();
    }

    private static async Task SetBusyTimeoutAsync(System.Data.Common.DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = BusyTimeout;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
