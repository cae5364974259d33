using System.Text.Json;
using System.Text.RegularExpressions;

namespace GopherCron.Modules.Tasks.Domain;

/// <summary>
/// Agent labels (<c>key=value</c>) and the labels a task requires: an agent is eligible when it carries every required
/// key with exactly the required value. Keys and values are short tokens so they read well on a command line.
/// </summary>
internal static partial class AgentLabels
{
    public const int MaxLabels = 20;

    public static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    public static bool Satisfies(IReadOnlyDictionary<string, string> agent, IReadOnlyDictionary<string, string> required) =>
        required.All(r => agent.TryGetValue(r.Key, out var value) && string.Equals(value, r.Value, StringComparison.Ordinal));

    /// <summary>Why the labels are unacceptable, or null when they are fine.</summary>
    public static string? Validate(IReadOnlyDictionary<string, string> labels)
    {
        if (labels.Count > MaxLabels)
        {
            return $"labels may hold at most {MaxLabels} entries.";
        }

        foreach (var (key, value) in labels)
        {
            if (!KeyPattern().IsMatch(key))
            {
                return $"label key '{key}' must be 1-63 characters of letters, digits, '.', '_', '/' or '-', starting with a letter or digit.";
            }

            if (value is null || !ValuePattern().IsMatch(value))
            {
                return $"label '{key}' must have a value of 1-63 characters of letters, digits, '.', '_' or '-'.";
            }
        }

        return null;
    }

    public static string Serialize(IReadOnlyDictionary<string, string>? labels) =>
        labels is null || labels.Count == 0 ? "{}" : JsonSerializer.Serialize(new SortedDictionary<string, string>(labels.ToDictionary(), StringComparer.Ordinal));

    public static IReadOnlyDictionary<string, string> Parse(string? json) =>
        string.IsNullOrWhiteSpace(json) || json == "{}" ? None : JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? None;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,63}$")]
    private static partial Regex ValuePattern();
}
