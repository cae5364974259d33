using System.Text.Json;
using GopherCron.Plugins.Abstractions;

namespace GopherCron.Plugins.Sql;

/// <summary>A task's <c>config</c> object for the sql executor, parsed and checked.</summary>
internal sealed record SqlTaskConfiguration(
    string Connection,
    IReadOnlyList<string> Statements,
    bool Transaction,
    int MaxRows,
    TimeSpan? Timeout)
{
    public const int DefaultMaxRows = 100;
    public const int MaxMaxRows = 10_000;
    public const int MaxStatements = 100;
    public const int MaxTimeoutSeconds = 7 * 24 * 3600;

    public const string Schema = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "SQL statements",
          "type": "object",
          "required": ["connection"],
          "oneOf": [ { "required": ["statements"] }, { "required": ["sql"] } ],
          "additionalProperties": false,
          "properties": {
            "connection": {
              "type": "string",
              "minLength": 1,
              "description": "Name of a connection defined on the agent (Plugins:sql:Connections:<name>); the connection string never leaves the agent."
            },
            "statements": {
              "type": "array",
              "minItems": 1,
              "maxItems": 100,
              "items": { "type": "string", "minLength": 1 },
              "description": "Statements run in order."
            },
            "sql": {
              "type": "string",
              "minLength": 1,
              "description": "A single statement (instead of statements)."
            },
            "transaction": {
              "type": "boolean",
              "default": true,
              "description": "Run every statement in one transaction, rolled back when one fails."
            },
            "maxRows": {
              "type": "integer",
              "minimum": 1,
              "maximum": 10000,
              "default": 100,
              "description": "At most this many rows of each result set are written to the output."
            },
            "timeoutSeconds": {
              "type": "integer",
              "minimum": 1,
              "maximum": 604800,
              "description": "Timeout of each statement; the run's own timeout still applies when it is shorter."
            }
          }
        }
        """;

    private static readonly string[] KnownProperties = ["connection", "statements", "sql", "transaction", "maxRows", "timeoutSeconds"];

    /// <summary>Parses <paramref name="json"/>; on any problem returns null and lists every problem found.</summary>
    /// <remarks>The connection name is not checked here: connections live on agents, which the host may not know.</remarks>
    public static SqlTaskConfiguration? Parse(JsonElement json, out List<ConfigurationError> errors)
    {
        errors = [];
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("$", "The configuration must be a JSON object with a \"connection\" and \"statements\"."));
            return null;
        }

        foreach (var property in json.EnumerateObject())
        {
            if (!KnownProperties.Contains(property.Name, StringComparer.Ordinal))
            {
                errors.Add(new(property.Name, $"Unknown property; expected one of {string.Join(", ", KnownProperties)}."));
            }
        }

        string? connection = null;
        if (!Present(json, "connection", out var connectionJson))
        {
            errors.Add(new("connection", "A connection name is required."));
        }
        else if (connectionJson.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(connectionJson.GetString()))
        {
            errors.Add(new("connection", "Must be the non-empty name of a connection defined on the agent."));
        }
        else
        {
            connection = connectionJson.GetString()!.Trim();
        }

        var statements = ParseStatements(json, errors);

        var transaction = true;
        if (Present(json, "transaction", out var transactionJson))
        {
            if (transactionJson.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                transaction = transactionJson.GetBoolean();
            }
            else
            {
                errors.Add(new("transaction", "Must be true or false."));
            }
        }

        var maxRows = DefaultMaxRows;
        if (Present(json, "maxRows", out var maxRowsJson)
            && (maxRowsJson.ValueKind != JsonValueKind.Number || !maxRowsJson.TryGetInt32(out maxRows) || maxRows is < 1 or > MaxMaxRows))
        {
            errors.Add(new("maxRows", $"Must be a whole number between 1 and {MaxMaxRows}."));
        }

        TimeSpan? timeout = null;
        if (Present(json, "timeoutSeconds", out var timeoutJson))
        {
            if (timeoutJson.ValueKind == JsonValueKind.Number && timeoutJson.TryGetInt32(out var seconds) && seconds is >= 1 and <= MaxTimeoutSeconds)
            {
                timeout = TimeSpan.FromSeconds(seconds);
            }
            else
            {
                errors.Add(new("timeoutSeconds", $"Must be a whole number of seconds between 1 and {MaxTimeoutSeconds}."));
            }
        }

        return errors.Count == 0 ? new SqlTaskConfiguration(connection!, statements, transaction, maxRows, timeout) : null;
    }

    private static bool Present(JsonElement json, string name, out JsonElement value) =>
        json.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static List<string> ParseStatements(JsonElement json, List<ConfigurationError> errors)
    {
        var statements = new List<string>();
        var hasList = Present(json, "statements", out var list);
        var hasSingle = Present(json, "sql", out var single);
        if (hasList && hasSingle)
        {
            errors.Add(new("sql", "Give either \"statements\" or \"sql\", not both."));
            return statements;
        }

        if (hasSingle)
        {
            if (single.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(single.GetString()))
            {
                errors.Add(new("sql", "Must be a non-empty SQL statement."));
            }
            else
            {
                statements.Add(single.GetString()!);
            }

            return statements;
        }

        if (!hasList)
        {
            errors.Add(new("statements", "At least one statement is required (\"statements\": [\"...\"] or \"sql\": \"...\")."));
            return statements;
        }

        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            errors.Add(new("statements", "Must be a non-empty array of SQL statements."));
            return statements;
        }

        if (list.GetArrayLength() > MaxStatements)
        {
            errors.Add(new("statements", $"At most {MaxStatements} statements; put longer scripts in a stored procedure."));
            return statements;
        }

        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var field = $"statements[{index++}]";
            if (item.ValueKind != JsonValueKind.String)
            {
                errors.Add(new(field, "Must be a string."));
            }
            else if (string.IsNullOrWhiteSpace(item.GetString()))
            {
                errors.Add(new(field, "Must not be empty."));
            }
            else
            {
                statements.Add(item.GetString()!);
            }
        }

        return statements;
    }
}
