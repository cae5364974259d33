using System.Text;
using System.Text.Json;
using GopherCron.Plugins.Abstractions;

namespace GopherCron.Plugins.Shell;

/// <summary>A task's <c>config</c> object for the shell executor, parsed and checked.</summary>
internal sealed record ShellTaskConfiguration(
    string Command,
    string? Shell,
    string? WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment)
{
    public const int MaxCommandBytes = 64 * 1024;

    public const string Schema = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "Shell command",
          "type": "object",
          "required": ["command"],
          "additionalProperties": false,
          "properties": {
            "command": {
              "type": "string",
              "minLength": 1,
              "maxLength": 65536,
              "description": "Script run with '<shell> -c'. stdout and stderr are captured together, in the order written."
            },
            "shell": {
              "type": "string",
              "pattern": "^/",
              "description": "Absolute path of the shell; defaults to the agent's DefaultShell (/bin/sh)."
            },
            "workingDirectory": {
              "type": "string",
              "pattern": "^/",
              "description": "Absolute path of the directory the command starts in; defaults to the agent's."
            },
            "environment": {
              "type": "object",
              "additionalProperties": { "type": "string" },
              "description": "Extra environment variables, added after the GOPHERCRON_* run variables."
            }
          }
        }
        """;

    private static readonly string[] KnownProperties = ["command", "shell", "workingDirectory", "environment"];

    /// <summary>Parses <paramref name="json"/>; on any problem returns null and lists every problem found.</summary>
    public static ShellTaskConfiguration? Parse(JsonElement json, out List<ConfigurationError> errors)
    {
        errors = [];
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("$", "The configuration must be a JSON object with at least a \"command\"."));
            return null;
        }

        foreach (var property in json.EnumerateObject())
        {
            if (!KnownProperties.Contains(property.Name, StringComparer.Ordinal))
            {
                // Unknown keys are almost always typos ("comand"); silently ignoring them runs the wrong thing.
                errors.Add(new(property.Name, $"Unknown property; expected one of {string.Join(", ", KnownProperties)}."));
            }
        }

        string? command = null;
        if (!json.TryGetProperty("command", out var commandJson) || commandJson.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new("command", "A command is required."));
        }
        else if (commandJson.ValueKind != JsonValueKind.String)
        {
            errors.Add(new("command", "The command must be a string."));
        }
        else
        {
            command = commandJson.GetString()!;
            if (string.IsNullOrWhiteSpace(command))
            {
                errors.Add(new("command", "The command must not be empty."));
            }
            else if (Encoding.UTF8.GetByteCount(command) > MaxCommandBytes)
            {
                errors.Add(new("command", $"The command must be at most {MaxCommandBytes / 1024} KiB; put longer scripts in a file."));
            }
        }

        var shell = OptionalAbsolutePath(json, "shell", errors);
        var workingDirectory = OptionalAbsolutePath(json, "workingDirectory", errors);
        var environment = ParseEnvironment(json, errors);

        return errors.Count == 0 ? new ShellTaskConfiguration(command!, shell, workingDirectory, environment) : null;
    }

    private static string? OptionalAbsolutePath(JsonElement json, string name, List<ConfigurationError> errors)
    {
        if (!json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } path)
        {
            errors.Add(new(name, "Must be a non-empty string."));
            return null;
        }

        if (!path.StartsWith('/'))
        {
            errors.Add(new(name, $"Must be an absolute path (starting with '/'), not '{path}'."));
            return null;
        }

        return path;
    }

    private static Dictionary<string, string> ParseEnvironment(JsonElement json, List<ConfigurationError> errors)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!json.TryGetProperty("environment", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return environment;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("environment", "Must be an object mapping variable names to string values."));
            return environment;
        }

        foreach (var variable in value.EnumerateObject())
        {
            var field = $"environment.{variable.Name}";
            if (variable.Name.Length == 0 || variable.Name.Contains('=', StringComparison.Ordinal) || variable.Name.Contains('\0', StringComparison.Ordinal))
            {
                errors.Add(new(field, "A variable name must be non-empty and contain neither '=' nor NUL."));
            }
            else if (variable.Value.ValueKind != JsonValueKind.String)
            {
                errors.Add(new(field, "The value must be a string (quote numbers and booleans)."));
            }
            else if (variable.Value.GetString()!.Contains('\0', StringComparison.Ordinal))
            {
                errors.Add(new(field, "The value must not contain NUL."));
            }
            else
            {
                environment[variable.Name] = variable.Value.GetString()!;
            }
        }

        return environment;
    }
}
