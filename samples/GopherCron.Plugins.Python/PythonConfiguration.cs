using System.Text.Json;
using GopherCron.Plugins.Abstractions;

namespace GopherCron.Plugins.Python;

/// <summary>A python task's <c>config</c>: <c>{script, interpreter?, args?, environment?}</c>.</summary>
internal sealed record PythonConfiguration(string Script, string? Interpreter, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string> Environment)
{
    public const int MaxScriptLength = 256 * 1024;

    public const string Schema = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "required": ["script"],
          "additionalProperties": false,
          "properties": {
            "script": { "type": "string", "minLength": 1, "maxLength": 262144, "title": "Script", "description": "The Python source to run.", "x-gophercron-editor": "code" },
            "interpreter": { "type": "string", "minLength": 1, "title": "Interpreter", "description": "The interpreter: a name looked up on PATH or an absolute path. Default python3." },
            "args": { "type": "array", "items": { "type": "string" }, "title": "Arguments", "description": "Passed to the script (sys.argv[1:])." },
            "environment": { "type": "object", "additionalProperties": { "type": "string" }, "title": "Environment", "description": "Extra environment variables." }
          }
        }
        """;

    private static readonly HashSet<string> Known = ["script", "interpreter", "args", "environment"];

    /// <summary>Reads a configuration; <paramref name="errors"/> names every field at fault.</summary>
    public static PythonConfiguration? Parse(JsonElement json, out List<ConfigurationError> errors)
    {
        errors = [];
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("$", "config must be a JSON object."));
            return null;
        }

        string? script = null, interpreter = null;
        var args = new List<string>();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in json.EnumerateObject())
        {
            switch (property.Name)
            {
                case "script" when property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { } s && !string.IsNullOrWhiteSpace(s):
                    script = s.Length <= MaxScriptLength ? s : null;
                    if (script is null)
                    {
                        errors.Add(new("script", $"script must be at most {MaxScriptLength} characters."));
                    }

                    break;
                case "script":
                    errors.Add(new("script", "script must be a non-empty string."));
                    break;
                case "interpreter" when property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: > 0 } i && !i.Any(char.IsWhiteSpace):
                    interpreter = i;
                    break;
                case "interpreter":
                    errors.Add(new("interpreter", "interpreter must be a program name or an absolute path, without spaces."));
                    break;
                case "args" when property.Value.ValueKind == JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in property.Value.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.String)
                        {
                            args.Add(item.GetString()!);
                        }
                        else
                        {
                            errors.Add(new($"args[{index}]", "Every argument must be a string."));
                        }

                        index++;
                    }

                    break;
                case "args":
                    errors.Add(new("args", "args must be an array of strings."));
                    break;
                case "environment" when property.Value.ValueKind == JsonValueKind.Object:
                    foreach (var variable in property.Value.EnumerateObject())
                    {
                        if (variable.Value.ValueKind == JsonValueKind.String)
                        {
                            environment[variable.Name] = variable.Value.GetString()!;
                        }
                        else
                        {
                            errors.Add(new($"environment.{variable.Name}", "Environment values must be strings."));
                        }
                    }

                    break;
                case "environment":
                    errors.Add(new("environment", "environment must be an object of strings."));
                    break;
                default:
                    if (!Known.Contains(property.Name))
                    {
                        errors.Add(new(property.Name, $"Unknown property '{property.Name}'; known: {string.Join(", ", Known)}."));
                    }

                    break;
            }
        }

        if (script is null && !errors.Any(e => e.Field == "script"))
        {
            errors.Add(new("script", "script is required."));
        }

        return errors.Count == 0 ? new PythonConfiguration(script!, interpreter, args, environment) : null;
    }
}
