using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using LinqToDB.Mapping;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GopherCron.Modules.Shared.Data;

/// <summary>
/// One schema change of one module. Statements are written once for both dialects with these tokens:
/// <c>{id}</c> an auto-increment primary key, <c>{text}</c> an unbounded text column, <c>{bool}</c>, and
/// <c>{table}</c> after a CREATE TABLE's closing parenthesis (engine and charset on MySQL).
/// </summary>
public sealed record Migration(int Version, string Name, params string[] Statements);

/// <summary>The ordered migrations a module contributes; register with <see cref="MigrationExtensions.AddMigrations"/>.</summary>
public sealed record ModuleMigrations(string Module, IReadOnlyList<Migration> Migrations);

public static class MigrationExtensions
{
    public static IServiceCollection AddMigrations(this IServiceCollection services, string module, params Migration[] migrations)
    {
        services.AddSingleton(new ModuleMigrations(module, migrations));
        return services;
    }
}

/// <summary>A migration this runner applied.</summary>
public sealed record AppliedMigrationInfo(string Module, int Version, string Name);

/// <summary>
/// Applies every module's pending migrations in version order, each recorded in <c>schema_migrations</c>. On MySQL
/// and MariaDB the whole run holds a named server lock, so replicas starting together apply each migration once: the
/// second waits, then finds the work done. (MySQL commits DDL implicitly, so the transaction alone cannot prevent a
/// double apply there; SQLite is embedded, one host per file, and needs no lock.)
/// </summary>
public sealed partial class MigrationRunner(Database database, IEnumerable<ModuleMigrations> modules, TimeProvider clock, ILogger<MigrationRunner> logger)
{
    private const string LockName = "gophercron_migrations";
    private const int LockTimeoutSeconds = 60;

    public async Task<IReadOnlyList<AppliedMigrationInfo>> MigrateAsync(CancellationToken cancellationToken)
    {
        // One connection for the whole run: a MySQL named lock belongs to the session that took it.
        await using var db = database.Open();
        if (database.Dialect == SqlDialect.Sqlite)
        {
            // WAL lets the API read while the scheduler writes; it is a property of the file, set once.
            await db.ExecuteAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            return await ApplyPendingAsync(db, cancellationToken);
        }

        var locked = await db.ExecuteAsync<long?>("SELECT GET_LOCK(@name, @timeout)", cancellationToken,
            DataParameter.VarChar("name", LockName), DataParameter.Int32("timeout", LockTimeoutSeconds));
        if (locked != 1)
        {
            throw new InvalidOperationException(
                $"Could not take the migration lock '{LockName}' within {LockTimeoutSeconds} s: another replica is still migrating, or holds the lock.");
        }

        try
        {
            return await ApplyPendingAsync(db, cancellationToken);
        }
        finally
        {
            await db.ExecuteAsync<long?>("SELECT RELEASE_LOCK(@name)", CancellationToken.None, DataParameter.VarChar("name", LockName));
        }
    }

    private async Task<IReadOnlyList<AppliedMigrationInfo>> ApplyPendingAsync(DataConnection db, CancellationToken cancellationToken)
    {
        await db.ExecuteAsync(Render(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                module VARCHAR(64) NOT NULL,
                version INT NOT NULL,
                name VARCHAR(200) NOT NULL,
                applied_at BIGINT NOT NULL,
                PRIMARY KEY (module, version)
            ){table}
            """, database.Dialect), cancellationToken);

        // Read under the lock: what another replica applied while this one waited counts as done.
        var applied = (await db.GetTable<AppliedMigration>().ToListAsync(cancellationToken))
            .Select(m => (m.Module, m.Version)).ToHashSet();
        var done = new List<AppliedMigrationInfo>();
        foreach (var module in modules)
        {
            foreach (var migration in module.Migrations.OrderBy(m => m.Version))
            {
                if (applied.Contains((module.Module, migration.Version)))
                {
                    continue;
                }

                await using (var tx = await db.BeginTransactionAsync(cancellationToken))
                {
                    foreach (var statement in migration.Statements)
                    {
                        await db.ExecuteAsync(Render(statement, database.Dialect), cancellationToken);
                    }

                    await db.InsertAsync(new AppliedMigration
                    {
                        Module = module.Module,
                        Version = migration.Version,
                        Name = migration.Name,
                        AppliedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(),
                    }, token: cancellationToken);
                    await tx.CommitAsync(cancellationToken);
                }

                LogApplied(module.Module, migration.Version, migration.Name);
                done.Add(new AppliedMigrationInfo(module.Module, migration.Version, migration.Name));
            }
        }

        return done;
    }

    public static string Render(string sql, SqlDialect dialect) => dialect switch
    {
        SqlDialect.Sqlite => sql
            .Replace("{id}", "INTEGER PRIMARY KEY AUTOINCREMENT", StringComparison.Ordinal)
            .Replace("{text}", "TEXT", StringComparison.Ordinal)
            .Replace("{bool}", "INTEGER", StringComparison.Ordinal)
            .Replace("{table}", "", StringComparison.Ordinal),
        _ => sql
            .Replace("{id}", "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY", StringComparison.Ordinal)
            .Replace("{text}", "LONGTEXT", StringComparison.Ordinal)
            .Replace("{bool}", "TINYINT(1)", StringComparison.Ordinal)
            .Replace("{table}", " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin", StringComparison.Ordinal),
    };

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Applied migration {Module} v{Version}: {Name}")]
    private partial void LogApplied(string module, int version, string name);

    [Table("schema_migrations")]
    private sealed class AppliedMigration
    {
        [Column("module"), PrimaryKey(0)] public string Module { get; set; } = "";
        [Column("version"), PrimaryKey(1)] public int Version { get; set; }
        [Column("name")] public string Name { get; set; } = "";
        [Column("applied_at")] public long AppliedAt { get; set; }
    }
}
