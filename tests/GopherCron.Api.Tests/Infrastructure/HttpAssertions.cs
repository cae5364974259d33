using System.Net;
using System.Text.Json;

namespace GopherCron.Api.Tests.Infrastructure;

public static class HttpAssertions
{
    /// <summary>Asserts the status, showing the body when it is not the expected one.</summary>
    public static async Task ShouldHaveStatusAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new ShouldAssertException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} should answer {(int)expected} {expected} but answered {(int)response.StatusCode} {response.StatusCode}: {body}");
        }
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Asserts an RFC 9457 answer: <c>application/problem+json</c>, the status in both the response and the body, and
    /// when <paramref name="field"/> is given, that <c>errors</c> names it (JSON name, e.g. <c>currentPassword</c>).
    /// Returns the problem document.
    /// </summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        await response.ShouldHaveStatusAsync(status);
        var contentType = response.Content.Headers.ContentType;
        contentType.ShouldNotBeNull("A problem answer needs a content type.");
        contentType.MediaType.ShouldBe("application/problem+json");
        var problem = await response.ReadJsonAsync();
        problem.GetProperty("status").GetInt32().ShouldBe((int)status);
        if (field is not null)
        {
            problem.TryGetProperty("errors", out var errors).ShouldBeTrue($"The problem has no 'errors': {problem}");
            errors.EnumerateObject().Select(e => e.Name).ShouldContain(field, $"The problem does not name '{field}': {problem}");
        }

        return problem;
    }

    public static string Detail(this JsonElement problem) => problem.GetProperty("detail").GetString() ?? "";
}
