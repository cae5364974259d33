using System.Text.Json;
using GopherCron.Plugins.Abstractions;

namespace GopherCron.Plugins.Http;

/// <summary>A task's <c>config</c> object for the http executor, parsed and checked.</summary>
internal sealed record HttpTaskConfiguration(
    HttpMethod Method,
    Uri Url,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? Body,
    TimeSpan? Timeout,
    StatusCodeRanges AcceptedStatusCodes,
    bool FollowRedirects,
    bool VerifyTls,
    int MaxBodyBytes)
{
    public const int DefaultMaxBodyBytes = 64 * 1024;
    public const int MaxMaxBodyBytes = 16 * 1024 * 1024;
    public const int MaxTimeoutSeconds = 7 * 24 * 3600;

    public const string Schema = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "HTTP request",
          "type": "object",
          "required": ["url"],
          "additionalProperties": false,
          "properties": {
            "method": {
              "type": "string",
              "default": "GET",
              "pattern": "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",
              "description": "HTTP method, for example GET, POST, PUT, DELETE."
            },
            "url": {
              "type": "string",
              "format": "uri",
              "pattern": "^[hH][tT][tT][pP][sS]?://",
              "description": "Absolute http:// or https:// URL."
            },
            "headers": {
              "type": "object",
              "additionalProperties": { "type": "string" },
              "description": "Request headers, name to value (Content-Type included)."
            },
            "body": {
              "type": "string",
              "description": "Request body, sent as UTF-8 (text/plain unless a Content-Type header says otherwise)."
            },
            "timeoutSeconds": {
              "type": "number",
              "exclusiveMinimum": 0,
              "maximum": 604800,
              "description": "Request timeout; the run's own timeout still applies when it is shorter."
            },
            "acceptedStatusCodes": {
              "type": "array",
              "minItems": 1,
              "items": {
                "oneOf": [
                  { "type": "integer", "minimum": 100, "maximum": 599 },
                  { "type": "string", "pattern": "^([1-5][xX][xX]|[1-5][0-9][0-9](-[1-5][0-9][0-9])?)$" }
                ]
              },
              "default": ["2xx"],
              "description": "Statuses that count as success: codes (301), classes (\"2xx\") or ranges (\"400-404\")."
            },
            "followRedirects": { "type": "boolean", "default": true, "description": "Follow 3xx redirects." },
            "verifyTls": { "type": "boolean", "default": true, "description": "Verify the server's TLS certificate." },
            "maxBodyBytes": {
              "type": "integer",
              "minimum": 0,
              "maximum": 16777216,
              "default": 65536,
              "description": "At most this many bytes of the response body are written to the output."
            }
          }
        }
        """;

    private static readonly string[] KnownProperties =
        ["method", "url", "headers", "body", "timeoutSeconds", "acceptedStatusCodes", "followRedirects", "verifyTls", "maxBodyBytes"];

    /// <summary>Parses <paramref name="json"/>; on any problem returns null and lists every problem found.</summary>
    public static HttpTaskConfiguration? Parse(JsonElement json, out List<ConfigurationError> errors)
    {
        errors = [];
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("$", "The configuration must be a JSON object with at least a \"url\"."));
            return null;
        }

        foreach (var property in json.EnumerateObject())
        {
            if (!KnownProperties.Contains(property.Name, StringComparer.Ordinal))
            {
                // Unknown keys are almost always typos ("hedaers"); ignoring them would send the wrong request.
                errors.Add(new(property.Name, $"Unknown property; expected one of {string.Join(", ", KnownProperties)}."));
            }
        }

        var method = ParseMethod(json, errors);
        var url = ParseUrl(json, errors);
        var headers = ParseHeaders(json, errors);
        var body = OptionalString(json, "body", errors);
        var timeout = ParseTimeout(json, errors);
        var accepted = StatusCodeRanges.Default;
        if (Present(json, "acceptedStatusCodes", out var acceptedJson))
        {
            accepted = StatusCodeRanges.Parse(acceptedJson, "acceptedStatusCodes", errors) ?? accepted;
        }

        var followRedirects = OptionalBool(json, "followRedirects", errors) ?? true;
        var verifyTls = OptionalBool(json, "verifyTls", errors) ?? true;
        var maxBodyBytes = DefaultMaxBodyBytes;
        if (Present(json, "maxBodyBytes", out var maxJson))
        {
            if (maxJson.ValueKind != JsonValueKind.Number || !maxJson.TryGetInt32(out maxBodyBytes) || maxBodyBytes is < 0 or > MaxMaxBodyBytes)
            {
                errors.Add(new("maxBodyBytes", $"Must be a whole number of bytes between 0 and {MaxMaxBodyBytes}."));
            }
        }

        if (body is not null && (method == HttpMethod.Get || method == HttpMethod.Head))
        {
            errors.Add(new("body", $"A {method} request cannot carry a body; use POST, PUT or PATCH."));
        }

        return errors.Count == 0
            ? new HttpTaskConfiguration(method!, url!, headers, body, timeout, accepted, followRedirects, verifyTls, maxBodyBytes)
            : null;
    }

    private static bool Present(JsonElement json, string name, out JsonElement value) =>
        json.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static HttpMethod? ParseMethod(JsonElement json, List<ConfigurationError> errors)
    {
        if (!Present(json, "method", out var value))
        {
            return HttpMethod.Get;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text
            || !text.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+.^_`|~-".Contains(c, StringComparison.Ordinal)))
        {
            errors.Add(new("method", "Must be an HTTP method such as GET, POST, PUT or DELETE."));
            return null;
        }

        // Methods are case-sensitive on the wire, but "get" in a form is always a slip for GET.
        return HttpMethod.Parse(text.ToUpperInvariant());
    }

    private static Uri? ParseUrl(JsonElement json, List<ConfigurationError> errors)
    {
        if (!Present(json, "url", out var value))
        {
            errors.Add(new("url", "A URL is required."));
            return null;
        }

        if (value.ValueKind != JsonValueKind.String
            || !Uri.TryCreate(value.GetString(), UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(url.Host))
        {
            errors.Add(new("url", "Must be an absolute http:// or https:// URL."));
            return null;
        }

        return url;
    }

    private static List<KeyValuePair<string, string>> ParseHeaders(JsonElement json, List<ConfigurationError> errors)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (!Present(json, "headers", out var value))
        {
            return headers;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("headers", "Must be an object mapping header names to string values."));
            return headers;
        }

        foreach (var header in value.EnumerateObject())
        {
            var field = $"headers.{header.Name}";
            if (header.Name.Length == 0 || !header.Name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+.^_`|~-".Contains(c, StringComparison.Ordinal)))
            {
                errors.Add(new(field, "Not a valid header name."));
            }
            else if (header.Value.ValueKind != JsonValueKind.String)
            {
                errors.Add(new(field, "The value must be a string (quote numbers)."));
            }
            else if (header.Value.GetString()!.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                errors.Add(new(field, "The value must not contain line breaks or NUL."));
            }
            else if (header.Name.Equals("Host", StringComparison.OrdinalIgnoreCase)
                     || header.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                     || header.Name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(new(field, "This header is set from the URL and the body; remove it."));
            }
            else
            {
                headers.Add(new(header.Name, header.Value.GetString()!));
            }
        }

        return headers;
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
