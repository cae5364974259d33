using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using MySqlConnector;
using Npgsql;

namespace GopherCron.Plugins.Sql;

/// <summary>One named database connection, defined on the agent.</summary>
internal sealed record SqlConnectionDefinition(string Name, string Provider, DbProviderFactory Factory, string ConnectionString);

/// <summary>Agent-wide settings of the sql executor (the <c>Plugins:sql</c> configuration section).</summary>
internal sealed record SqlOptions(IReadOnlyDictionary<string, SqlConnectionDefinition> Connections)
{
    public static SqlOptions From(IConfiguration configuration)
    {
        var connections = new Dictionary<string, SqlConnectionDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var section in configuration.GetSection("Connections").GetChildren())
        {
            var key = $"Plugins:sql:Connections:{section.Key}";
            var provider = section["Provider"]?.Trim().ToLowerInvariant();
            DbProviderFactory factory = provider switch
            {
                "mysql" or "mariadb" => MySqlConnectorFactory.Instance,
                "postgres" or "postgresql" => NpgsqlFactory.Instance,
                "sqlite" => SqliteFactory.Instance,
                _ => throw new InvalidOperationException(
                    $"{key}:Provider must be one of mysql, mariadb, postgres, sqlite; not '{section["Provider"]}'."),
            };

            if (section["ConnectionString"] is not { Length: > 0 } connectionString)
            {
                throw new InvalidOperationException($"{key}:ConnectionString is required.");
            }

            connections[section.Key] = new SqlConnectionDefinition(section.Key, provider, factory, connectionString);
        }

        return new SqlOptions(connections);
    }
}
