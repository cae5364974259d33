using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace GopherCron.Api.Tests.Infrastructure;

/// <summary>Tasks and runs through the public API, and polling for what the scheduler does in its own time.</summary>
public static class TaskApi
{
    /// <summary>How long a condition that depends on the scheduler, the agent and a real shell may take on a busy machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static readonly string[] TerminalStatuses = ["succeeded", "failed", "timedOut", "killed", "skipped", "lost"];

    /// <summary>A shell task body; <paramref name="extra"/> adds or overrides top-level properties.</summary>
    public static Dictionary<string, object?> ShellTask(string cron, string command, string? name = null, object? extra = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = name ?? GopherCronApp.UniqueName("task"),
            ["cron"] = cron,
            ["config"] = new { command },
        };
        if (extra is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(extra, JsonSerializerOptions.Web).EnumerateObject())
            {
                body[property.Name] = property.Value;
            }
        }

        return body;
    }

    public static async Task<JsonElement> CreateTaskAsync(this HttpClient client, long projectId, object body)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/projects/{projectId}/tasks", body);
        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return await response.ReadJsonAsync();
    }

    public static async Task<long> CreateTaskIdAsync(this HttpClient client, long projectId, object body) =>
        (await client.CreateTaskAsync(projectId, body)).GetProperty("id").GetInt64();

    /// <summary>Run now; returns the run id.</summary>
    public static async Task<long> RunNowAsync(this HttpClient client, long projectId, long taskId)
    {
        var response = await client.PostAsync($"/api/v1/projects/{projectId}/tasks/{taskId}/run", null);
        await response.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        return (await response.ReadJsonAsync()).GetProperty("runId").GetInt64();
    }

    /// <summary>Every run of the task, oldest first.</summary>
    public static async Task<List<JsonElement>> RunsAsync(this HttpClient client, long projectId, long taskId)
    {
        var response = await client.GetAsync($"/api/v1/projects/{projectId}/tasks/{taskId}/runs?pageSize=500");
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var page = await response.ReadJsonAsync();
        return page.GetProperty("items").EnumerateArray().OrderBy(r => r.GetProperty("id").GetInt64()).ToList();
    }

    public static async Task<JsonElement> RunAsync(this HttpClient client, long runId)
    {
        var response = await client.GetAsync($"/api/v1/runs/{runId}");
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return await response.ReadJsonAsync();
    }

    public static async Task<string> OutputAsync(this HttpClient client, long runId)
    {
        var response = await client.GetAsync($"/api/v1/runs/{runId}/output");
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Waits until the run has ended and returns it.</summary>
    public static Task<JsonElement> WaitForEndAsync(this HttpClient client, long runId) =>
        EventuallyAsync(() => client.RunAsync(runId), r => TerminalStatuses.Contains(r.Status()), $"run {runId} to end");

    /// <summary>Waits until the run has the status and returns it.</summary>
    public static Task<JsonElement> WaitForStatusAsync(this HttpClient client, long runId, string status) =>
        EventuallyAsync(() => client.RunAsync(runId), r => r.Status() == status, $"run {runId} to be {status}");

    /// <summary>Waits until the task's runs satisfy <paramref name="done"/> and returns them.</summary>
    public static Task<List<JsonElement>> WaitForRunsAsync(this HttpClient client, long projectId, long taskId, Func<List<JsonElement>, bool> done, string what) =>
        EventuallyAsync(() => client.RunsAsync(projectId, taskId), done, what);

    /// <summary>Probes until <paramref name="done"/> holds, then returns the last probe; fails with the last probe after <see cref="Patience"/>.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed > (timeout ?? Patience))
            {
                throw new ShouldAssertException($"Gave up waiting for {what} after {clock.Elapsed.TotalSeconds:0.#} s; last seen: {Describe(value)}");
            }

            await Task.Delay(200);
        }
    }

    public static string Status(this JsonElement run) => run.GetProperty("status").GetString()!;

    public static string Trigger(this JsonElement run) => run.GetProperty("trigger").GetString()!;

    public static long Id(this JsonElement element) => element.GetProperty("id").GetInt64();

    public static string? Error(this JsonElement run) => run.GetProperty("error").GetString();

    public static DateTimeOffset ScheduledAt(this JsonElement run) => run.GetProperty("scheduledAt").GetDateTimeOffset();

    public static DateTimeOffset? StartedAt(this JsonElement run) =>
        run.GetProperty("startedAt").ValueKind == JsonValueKind.Null ? null : run.GetProperty("startedAt").GetDateTimeOffset();

    private static string Describe(object? value) => value switch
    {
        JsonElement e => e.ToString(),
        IEnumerable<JsonElement> list => "[" + string.Join(", ", list.Select(r => r.TryGetProperty("status", out var s)
            ? $"{r.Id()}:{s.GetString()}/{r.GetProperty("trigger").GetString()}@{r.GetProperty("scheduledAt").GetString()}"
            : r.ToString())) + "]",
        _ => value?.ToString() ?? "null",
    };
}
