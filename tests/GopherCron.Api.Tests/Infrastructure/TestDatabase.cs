using MySqlConnector;

namespace GopherCron.Api.Tests.Infrastructure;

/// <summary>
/// One fresh, empty store for one or more <see cref="GopherCronApp"/> instances. The kind comes from
/// <c>GOPHERCRON_TEST_STORE</c>: <c>sqlite</c> (the default) is a file in a temp folder; <c>mariadb</c> is a new database
/// <c>gophercron_t_&lt;random&gt;</c> on the server that <c>GOPHERCRON_TEST_MYSQL</c> points at (written by
/// <c>scripts/services.sh start</c>), dropped again on dispose.
/// </summary>
/// <remarks>
/// Hosts that must see the same data (a restart, a second replica) share one instance:
/// <c>await using var store = TestDatabase.Create(); new GopherCronApp { Database = store }</c>.
/// </remarks>
public sealed class TestDatabase : IAsyncDisposable, IDisposable
{
    private readonly string? _folder;
    private readonly string? _serverConnectionString;
    private int _disposed;

    private TestDatabase(string provider, string connectionString, string? folder, string? serverConnectionString, string name)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Name = name;
        _folder = folder;
        _serverConnectionString = serverConnectionString;
    }

    /// <summary>The store every test in this process runs on: <c>sqlite</c> or <c>mariadb</c>.</summary>
    public static string Store { get; } = Environment.GetEnvironmentVariable("GOPHERCRON_TEST_STORE") is { Length: > 0 } s
        ? s.Trim().ToLowerInvariant()
        : "sqlite";

    public static bool IsMariaDb => Store == "mariadb";

    /// <summary><c>Database:Provider</c> for the host.</summary>
    public string Provider { get; }

    /// <summary><c>Database:ConnectionString</c> for the host.</summary>
    public string ConnectionString { get; }

    /// <summary>The database name (MariaDB) or the file name (SQLite).</summary>
    public string Name { get; }

    public static TestDatabase Create() => Store switch
    {
        "sqlite" => CreateSqlite(),
        "mariadb" => CreateMariaDb(),
        _ => throw new InvalidOperationException($"GOPHERCRON_TEST_STORE must be sqlite or mariadb, not '{Store}'."),
    };

    /// <summary>The configuration a host needs to use this store.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Database:Provider", Provider),
        new("Database:ConnectionString", ConnectionString),
    ];

    private static TestDatabase CreateSqlite()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gophercron-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "gophercron.db");
        return new TestDatabase("sqlite", $"Data Source={file}", folder, null, file);
    }

    private static TestDatabase CreateMariaDb()
    {
        var server = Environment.GetEnvironmentVariable("GOPHERCRON_TEST_MYSQL");
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                "GOPHERCRON_TEST_STORE=mariadb needs GOPHERCRON_TEST_MYSQL: run scripts/services.sh start and source .services/services.env.");
        }

        // The services script grants the test user every database whose name starts with the base database's name.
        var baseName = new MySqlConnectionStringBuilder(server).Database is { Length: > 0 } d ? d : "gophercron";
        var name = $"{baseName}_t_{Guid.NewGuid():N}"[..(baseName.Length + 19)];
        var serverOnly = new MySqlConnectionStringBuilder(server) { Database = "", Pooling = false }.ConnectionString;
        Execute(serverOnly, $"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        var connectionString = new MySqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        return new TestDatabase("mariadb", connectionString, null, serverOnly, name);
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new MySqlConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_serverConnectionString is not null)
        {
            // The hosts' idle pooled connections to this database would otherwise stay open until they time out.
            using (var pooled = new MySqlConnection(ConnectionString))
            {
                MySqlConnection.ClearPool(pooled);
            }

            Execute(_serverConnectionString, $"DROP DATABASE IF EXISTS `{Name}`");
        }

        if (_folder is not null)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A pooled connection may still hold the file; the temp folder is cleaned by the OS eventually.
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
