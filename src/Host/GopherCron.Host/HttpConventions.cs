using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;

namespace GopherCron.Host;

/// <summary>How the API speaks HTTP: JSON shape, body limits, and problem details for every failure.</summary>
internal static class HttpConventions
{
    /// <summary>No API body needs more; larger ones are refused with 413 before they are read.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static IHostApplicationBuilder AddHttpConventions(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        services.Configure<JsonOptions>(o =>
        {
            // A misspelt property is a mistake the caller wants to hear about, not a silently ignored field.
            o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never;
        });

        // Binding failures (malformed JSON, wrong types, oversized bodies) throw so that one handler answers them all.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddOpenApi();
        return builder;
    }
}

/// <summary>Turns request-binding failures into problem details that name the field at fault.</summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var json = FindJsonException(bad);
        var status = bad.StatusCode;
        var detail = status == StatusCodes.Status413PayloadTooLarge
            ? $"The request body is larger than {HttpConventions.MaxRequestBodyBytes} bytes."
            : json is null ? bad.Message : "The request body is not valid JSON for this endpoint: " + FirstSentence(json.Message);

        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = status,
            Title = status == StatusCodes.Status413PayloadTooLarge ? "Payload too large" : "Bad request",
            Detail = detail,
        };
        if (json?.Path is { Length: > 2 } path)
        {
            problem.Extensions["errors"] = new Dictionary<string, string[]>
            {
                [ToFieldName(path)] = [FirstSentence(json.Message)],
            };
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static JsonException? FindJsonException(Exception exception)
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is JsonException json)
            {
                return json;
            }
        }

        return null;
    }

    // "$.retry.attempts" -> "retry.attempts"; "$['odd key']" stays readable.
    private static string ToFieldName(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
