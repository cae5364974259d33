using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GopherCron.Plugins.Abstractions;

namespace GopherCron.Plugins.Container;

/// <summary>When the image is pulled before the container is created.</summary>
internal enum PullPolicy
{
    Missing,
    Always,
    Never,
}

/// <summary>A task's <c>config</c> object for the container executor, parsed and checked.</summary>
/// <remarks>
/// <c>command</c> never goes through a shell of ours: an array is the exact argument list, and a string is split into
/// one argument list by the rules a POSIX shell uses for quoting (whitespace separates; '…', "…" and \ quote) but with
/// no expansion, pipes or redirection. For those, ask the image's own shell: <c>["sh", "-c", "…"]</c>. This keeps
/// images without a shell (distroless, scratch) usable, and makes a string mean the same thing on every image.
/// </remarks>
internal sealed partial record ContainerTaskConfiguration(
    string Image,
    IReadOnlyList<string>? Command,
    IReadOnlyDictionary<string, string> Environment,
    PullPolicy PullPolicy,
    bool AutoRemove,
    string? WorkingDirectory,
    string? User,
    TimeSpan? Timeout,
    IReadOnlyDictionary<string, string> Labels)
{
    public const int MaxTimeoutSeconds = 7 * 24 * 3600;

    /// <summary>Labels under this prefix are set by the executor; tasks may not set them.</summary>
    public const string ReservedLabelPrefix = "gophercron.";

    public const string Schema = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "Container",
          "type": "object",
          "required": ["image"],
          "additionalProperties": false,
          "properties": {
            "image": {
              "type": "string",
              "minLength": 1,
              "description": "Image reference, for example alpine:3.20, ghcr.io/acme/job:1.2 or name@sha256:…; without a tag, latest."
            },
            "command": {
              "oneOf": [
                { "type": "array", "items": { "type": "string" }, "minItems": 1 },
                { "type": "string", "minLength": 1 }
              ],
              "description": "Replaces the image's command. An array is the exact argument list; a string is split into arguments with shell-style quoting but no shell features (use [\"sh\", \"-c\", \"…\"] for those). The image's entrypoint still applies."
            },
            "environment": {
              "type": "object",
              "additionalProperties": { "type": "string" },
              "description": "Environment variables, name to value, added to the run's GOPHERCRON_* variables (which win)."
            },
            "pullPolicy": {
              "type": "string",
              "enum": ["missing", "always", "never"],
              "default": "missing",
              "description": "Pull the image when it is missing on the agent, before every run, or never."
            },
            "autoRemove": { "type": "boolean", "default": true, "description": "Remove the container when the run ends, whatever the outcome." },
            "workingDirectory": { "type": "string", "description": "Working directory inside the container (absolute path)." },
            "user": { "type": "string", "description": "User (and group) to run as: name, uid, name:group or uid:gid." },
            "timeoutSeconds": {
              "type": "number",
              "exclusiveMinimum": 0,
              "maximum": 604800,
              "description": "Stops the container after this long; the run's own timeout still applies when it is shorter."
            },
            "labels": {
              "type": "object",
              "additionalProperties": { "type": "string" },
              "description": "Container labels; gophercron.run-id and gophercron.task-id are always set."
            }
          }
        }
        """;

    private static readonly string[] KnownProperties =
        ["image", "command", "environment", "pullPolicy", "autoRemove", "workingDirectory", "user", "timeoutSeconds", "labels"];

    /// <summary>Parses <paramref name="json"/>; on any problem returns null and lists every problem found.</summary>
    public static ContainerTaskConfiguration? Parse(JsonElement json, out List<ConfigurationError> errors)
    {
        errors = [];
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("$", "The configuration must be a JSON object with at least an \"image\"."));
            return null;
        }

        foreach (var property in json.EnumerateObject())
        {
            if (!KnownProperties.Contains(property.Name, StringComparer.Ordinal))
            {
                // Unknown keys are almost always typos ("enviroment"); ignoring them would run the wrong container.
                errors.Add(new(property.Name, $"Unknown property; expected one of {string.Join(", ", KnownProperties)}."));
            }
        }

        var image = ParseImage(json, errors);
        var command = ParseCommand(json, errors);
        var environment = ParseMap(json, "environment", errors, static name =>
            name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal)
                ? "Not a valid variable name (empty, or contains '=' or NUL)."
                : null);
        var labels = ParseMap(json, "labels", errors, static name =>
            name.Length == 0 ? "A label name cannot be empty."
            : name.StartsWith(ReservedLabelPrefix, StringComparison.OrdinalIgnoreCase) ? $"Labels starting with \"{ReservedLabelPrefix}\" are set by GopherCron."
            : null);
        var pullPolicy = ParsePullPolicy(json, errors);
        var autoRemove = OptionalBool(json, "autoRemove", errors) ?? true;
        var workingDirectory = OptionalString(json, "workingDirectory", errors);
        if (workingDirectory is not null && !workingDirectory.StartsWith('/'))
        {
            errors.Add(new("workingDirectory", "Must be an absolute path inside the container, for example /work."));
        }

        var user = OptionalString(json, "user", errors);
        if (user is { Length: 0 })
        {
            errors.Add(new("user", "Must not be empty; leave it out to use the image's user."));
        }

        var timeout = ParseTimeout(json, errors);

        return errors.Count == 0
            ? new ContainerTaskConfiguration(image!, command, environment, pullPolicy, autoRemove, workingDirectory, user, timeout, labels)
            : null;
    }

    /// <summary>Splits an image reference into the repository and the tag or digest the pull asks for.</summary>
    public static (string Repository, string TagOrDigest) SplitReference(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return (image[..at], image[(at + 1)..]);
        }

        var colon = image.LastIndexOf(':');
        // A colon before the last slash is a registry port (localhost:5000/job), not a tag.
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    /// <summary>Splits a command line into arguments: whitespace separates, quotes and backslashes quote, nothing expands.</summary>
    public static List<string>? SplitCommand(string text)
    {
        var arguments = new List<string>();
        var current = new StringBuilder();
        var inArgument = false;
        char quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\'')
            {
                if (c == '\'') { quote = '\0'; } else { current.Append(c); }
            }
            else if (quote == '"')
            {
                if (c == '"') { quote = '\0'; }
                else if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`') { current.Append(text[++i]); }
                else { current.Append(c); }
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inArgument)
                {
                    arguments.Add(current.ToString());
                    current.Clear();
                    inArgument = false;
                }
            }
            else
            {
                inArgument = true;
                if (c is '\'' or '"') { quote = c; }
                else if (c == '\\')
                {
                    if (++i == text.Length) { return null; }
                    current.Append(text[i]);
                }
                else { current.Append(c); }
            }
        }

        if (quote != '\0')
        {
            return null;
        }

        if (inArgument)
        {
            arguments.Add(current.ToString());
        }

        return arguments;
    }

    // The grammar of github.com/distribution/reference: [domain[:port]/]path-component(/path-component)*[:tag][@digest].
    [GeneratedRegex("""
        ^(?:(?:localhost|[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?)/)?
        [a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*
        (?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?
        (?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex ImageReference();

    private static bool Present(JsonElement json, string name, out JsonElement value) =>
        json.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static string? ParseImage(JsonElement json, List<ConfigurationError> errors)
    {
        if (!Present(json, "image", out var value) || value.ValueKind == JsonValueKind.String && value.GetString()!.Trim().Length == 0)
        {
            errors.Add(new("image", "An image is required, for example alpine:3.20."));
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Trim() is var image && (image.Length > 255 || !ImageReference().IsMatch(image)))
        {
            errors.Add(new("image",
                "Not a valid image reference; expected [registry/]name[:tag][@digest] with a lower-case name, for example alpine:3.20 or ghcr.io/acme/job:1.2."));
            return null;
        }

        return image;
    }

    private static List<string>? ParseCommand(JsonElement json, List<ConfigurationError> errors)
    {
        if (!Present(json, "command", out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var arguments = SplitCommand(value.GetString()!);
            if (arguments is null)
            {
                errors.Add(new("command", "Unterminated quote or trailing backslash."));
            }
            else if (arguments.Count == 0)
            {
                errors.Add(new("command", "Must not be empty; leave it out to use the image's command."));
            }

            return arguments;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            errors.Add(new("command", "Must be a non-empty array of strings (the exact arguments) or a string."));
            return null;
        }

        var list = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                errors.Add(new($"command[{index}]", "Must be a string (quote numbers)."));
            }
            else
            {
                list.Add(item.GetString()!);
            }

            index++;
        }

        return list;
    }

    private static Dictionary<string, string> ParseMap(
        JsonElement json, string field, List<ConfigurationError> errors, Func<string, string?> checkName)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Present(json, field, out var value))
        {
            return map;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(field, "Must be an object mapping names to string values."));
            return map;
        }

        foreach (var entry in value.EnumerateObject())
        {
            var entryField = $"{field}.{entry.Name}";
            if (checkName(entry.Name) is { } problem)
            {
                errors.Add(new(entryField, problem));
            }
            else if (entry.Value.ValueKind != JsonValueKind.String)
            {
                errors.Add(new(entryField, "The value must be a string (quote numbers and booleans)."));
            }
            else if (entry.Value.GetString()!.Contains('\0', StringComparison.Ordinal))
            {
                errors.Add(new(entryField, "The value must not contain NUL."));
            }
            else
            {
                map[entry.Name] = entry.Value.GetString()!;
            }
        }

        return map;
    }

    private static PullPolicy ParsePullPolicy(JsonElement json, List<ConfigurationError> errors)
    {
        if (!Present(json, "pullPolicy", out var value))
        {
            return PullPolicy.Missing;
        }

        switch (value.ValueKind == JsonValueKind.String ? value.GetString() : null)
        {
            case "missing": return PullPolicy.Missing;
            case "always": return PullPolicy.Always;
            case "never": return PullPolicy.Never;
            default:
                errors.Add(new("pullPolicy", "Must be \"missing\", \"always\" or \"never\"."));
                return PullPolicy.Missing;
        }
    }

    private static TimeSpan? ParseTimeout(JsonElement json, List<ConfigurationError> errors)
    {
        if (!Present(json, "timeoutSeconds", out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds) || seconds <= 0 || seconds > MaxTimeoutSeconds)
        {
            errors.Add(new("timeoutSeconds", $"Must be a number of seconds above 0 and at most {MaxTimeoutSeconds}."));
            return null;
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static string? OptionalString(JsonElement json, string name, List<ConfigurationError> errors)
    {
        if (!Present(json, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new(name, "Must be a string."));
            return null;
        }

        return value.GetString();
    }

    private static bool? OptionalBool(JsonElement json, string name, List<ConfigurationError> errors)
    {
        if (!Present(json, name, out var value))
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(new(name, "Must be true or false."));
            return null;
        }

        return value.GetBoolean();
    }
}
