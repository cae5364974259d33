using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using GopherCron.Testing;

namespace GopherCron.EndToEnd.Tests;

/// <summary>Talks to a real host the way curl in the README does: JSON over HTTP with a bearer token.</summary>
internal static class Api
{
    public static string HostDll { get; } = Path.GetFullPath(typeof(Api).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "HostDll").Value!);

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "gophercron-e2e-" + Guid.NewGuid().ToString("N"));

    public static Task<HostProcess> StartHostAsync(string dataDirectory, int? port = null) =>
        HostProcess.StartAsync(HostDll, dataDirectory, new Dictionary<string, string> { ["Tasks:AgentGracePeriod"] = "00:00:00.200" }, port);

    public static async Task<HttpClient> LoginAsync(HostProcess host, string password = "123456")
    {
        var client = host.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { account = "admin", password });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<JsonObject> SendAsync(HttpClient client, HttpMethod method, string url, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    public static Task<JsonObject> PostAsync(HttpClient client, string url, object? body, HttpStatusCode expected = HttpStatusCode.OK) =>
        SendAsync(client, HttpMethod.Post, url, body, expected);

    public static Task<JsonObject> GetAsync(HttpClient client, string url) => SendAsync(client, HttpMethod.Get, url, null, HttpStatusCode.OK);

    public static async Task<long> CreateProjectAsync(HttpClient client, string name) =>
        (await PostAsync(client, "/api/v1/projects", new { name, remark = "e2e" }, HttpStatusCode.Created))["id"]!.GetValue<long>();

    public static async Task<long> CreateTaskAsync(HttpClient client, long projectId, object body) =>
        (await PostAsync(client, $"/api/v1/projects/{projectId}/tasks", body, HttpStatusCode.Created))["id"]!.GetValue<long>();

    public static async Task<JsonArray> RunsAsync(HttpClient client, long projectId, long taskId) =>
        (await GetAsync(client, $"/api/v1/projects/{projectId}/tasks/{taskId}/runs?pageSize=500"))["items"]!.AsArray();

    public static async Task<string> OutputAsync(HttpClient client, long runId) =>
        await client.GetStringAsync($"/api/v1/runs/{runId}/output");

    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T value = await probe();
        while (!done(value))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}; last value: {JsonSerializer.Serialize(value)}");
            }

            await Task.Delay(200);
            value = await probe();
        }

        return value;
    }

    public static string Status(this JsonNode run) => run["status"]!.GetValue<string>();
}
