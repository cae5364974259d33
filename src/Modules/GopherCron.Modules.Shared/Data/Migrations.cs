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

/// <summary>Applies every module's pending migrations in version order, each recorded in <c>schema_migrations</c>.</summary>
public sealed partial class MigrationRunner(Database database, IEnumerable<ModuleMigrations> modules, TimeProvider clock, ILogger<MigrationRunner> logger)
{
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = database.Open();
        if (database.Dialect == SqlDialect.Sqlite)
        {
            // WAL lets the API read while the scheduler writes; it is a property of the file, set once.
            await db.ExecuteAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

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

        var applied = (await db.GetTable<AppliedMigration>().ToListAsync(cancellationToken))
            .Select(m => (m.Module, m.Version)).ToHashSet();
        var count = 0;
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
                count++;
            }
        }

        return count;
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
