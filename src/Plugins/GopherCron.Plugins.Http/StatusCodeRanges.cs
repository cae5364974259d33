using System.Globalization;
using System.Text.Json;

namespace GopherCron.Plugins.Http;

/// <summary>The accepted status codes of a task: items such as <c>"2xx"</c>, <c>301</c> or <c>"400-404"</c>.</summary>
internal sealed class StatusCodeRanges
{
    public static StatusCodeRanges Default { get; } = new([(200, 299)], "2xx");

    private readonly (int Low, int High)[] _ranges;

    private StatusCodeRanges((int Low, int High)[] ranges, string text)
    {
        _ranges = ranges;
        Text = text;
    }

    /// <summary>The ranges as the user wrote them, for error messages ("2xx, 301").</summary>
    public string Text { get; }

    public bool Accepts(int status) => _ranges.Any(range => status >= range.Low && status <= range.High);

    public static StatusCodeRanges? Parse(JsonElement json, string field, List<Abstractions.ConfigurationError> errors)
    {
        if (json.ValueKind != JsonValueKind.Array || json.GetArrayLength() == 0)
        {
            errors.Add(new(field, "Must be a non-empty array of status codes (200), classes (\"2xx\") or ranges (\"400-404\")."));
            return null;
        }

        var ranges = new List<(int, int)>();
        var texts = new List<string>();
        var index = 0;
        foreach (var item in json.EnumerateArray())
        {
            var itemField = $"{field}[{index++}]";
            var range = item.ValueKind switch
            {
                JsonValueKind.Number when item.TryGetInt32(out var code) => ParseText(code.ToString(CultureInfo.InvariantCulture)),
                JsonValueKind.String => ParseText(item.GetString()!.Trim()),
                _ => null,
            };

            if (range is not { } valid)
            {
                errors.Add(new(itemField, "Expected a status code between 100 and 599 (301), a class (\"2xx\") or a range (\"400-404\")."));
                continue;
            }

            ranges.Add(valid);
            texts.Add(item.ValueKind == JsonValueKind.String ? item.GetString()!.Trim() : item.GetRawText());
        }

        return ranges.Count == index ? new StatusCodeRanges([.. ranges], string.Join(", ", texts)) : null;
    }

    private static (int Low, int High)? ParseText(string text)
    {
        if (text.Length == 3 && text[0] is >= '1' and <= '5' && text[1..].Equals("xx", StringComparison.OrdinalIgnoreCase))
        {
            var hundred = (text[0] - '0') * 100;
            return (hundred, hundred + 99);
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0)
        {
            return Code(text[..dash].Trim()) is { } low && Code(text[(dash + 1)..].Trim()) is { } high && low <= high
                ? (low, high)
                : null;
        }

        return Code(text) is { } single ? (single, single) : null;
    }

    private static int? Code(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599
            ? code
            : null;
}
