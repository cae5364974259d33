using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using GopherCron.Testing;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace GopherCron.Cluster.Tests;

/// <summary>
/// One real host process (embedded agent off) plus real standalone agent processes on loopback, and the API calls the
/// tests make. Everything it started is stopped on dispose.
/// </summary>
internal sealed class Cluster : IAsyncDisposable
{
    private static readonly string HostDll = Metadata("HostDll");

    public static string HostDllPath => HostDll;
    private static readonly string AgentDll = Metadata("AgentDll");

    public static string AgentDllPath => AgentDll;

    private readonly List<AgentProcess> _agents = [];
    private readonly TimeSpan _agentLostAfter;

    private readonly string? _etcd;

    private Cluster(TimeSpan agentLostAfter, string? etcd)
    {
        _agentLostAfter = agentLostAfter;
        _etcd = etcd;
    }

    /// <summary>An agent's etcd lease lasts this long in these tests: a dead agent is noticed within it.</summary>
    public static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(3);

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "gophercron-cluster-" + Guid.NewGuid().ToString("N"));

    public int Port { get; } = HostProcess.FreePort();

    public int GrpcPort { get; } = HostProcess.FreePort();

    public string GrpcAddress => $"http://127.0.0.1:{GrpcPort}";

    public HostProcess Host { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <param name="agentLostAfter">How long the host waits for a disconnected agent.</param>
    /// <param name="etcd">An etcd endpoint: the host watches it and agents register in it.</param>
    public static async Task<Cluster> StartAsync(TimeSpan? agentLostAfter = null, string? etcd = null)
    {
        var cluster = new Cluster(agentLostAfter ?? TimeSpan.FromSeconds(10), etcd);
        await cluster.StartHostAsync();
        return cluster;
    }

    /// <summary>Starts the host (again, after <see cref="HostProcess.KillAsync"/>) on the same data and ports, logged in.</summary>
    public async Task StartHostAsync()
    {
        Client?.Dispose();
        var settings = new Dictionary<string, string>
        {
            ["Agent:Embedded"] = "false",
            ["Agents:GrpcPort"] = GrpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Tasks:AgentGracePeriod"] = "00:00:00.200",
            ["Tasks:AgentLostAfter"] = _agentLostAfter.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (_etcd is not null)
        {
            settings["Etcd:Endpoints"] = _etcd;
        }

        Host = await HostProcess.StartAsync(HostDll, DataDirectory, settings, Port);
        Client = Host.CreateClient();
        using var response = await Client.PostAsJsonAsync("/api/v1/auth/login", new { account = "admin", password = "123456" });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>Starts an agent serving <paramref name="projectId"/> with <paramref name="token"/> (the project's own by default).</summary>
    public async Task<AgentProcess> StartAgentAsync(string name, long projectId, string? token = null, bool waitConnected = true, string? labels = null)
    {
        token ??= (await GetAsync($"/api/v1/projects/{projectId}/token"))["token"]!.GetValue<string>();
        var settings = new Dictionary<string, string> { ["Agent:Project"] = $"{projectId}:{token}" };
        if (labels is not null)
        {
            settings["Agent:Labels"] = labels;
        }

        if (_etcd is not null)
        {
            settings["Etcd:Endpoints"] = _etcd;
            settings["Etcd:LeaseTtl"] = LeaseTtl.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        }

        var agent = AgentProcess.Start(AgentDll, name, [GrpcAddress], settings);
        _agents.Add(agent);
        if (waitConnected)
        {
            await agent.WaitForLogAsync("Connected to");
        }

        return agent;
    }

    public async Task<long> CreateProjectAsync(string name) =>
        (await SendAsync(HttpMethod.Post, "/api/v1/projects", new { name, remark = "cluster" }, HttpStatusCode.Created))["id"]!.GetValue<long>();

    /// <summary>A paused task, run by hand only.</summary>
    public async Task<long> CreateTaskAsync(long projectId, string name, string command, bool parallel = false, object? labels = null) =>
        (await SendAsync(HttpMethod.Post, $"/api/v1/projects/{projectId}/tasks",
            new { name, cron = "0 0 1 1 *", enabled = false, parallel, config = new { command }, labels }, HttpStatusCode.Created))["id"]!.GetValue<long>();

    public async Task<long> RunNowAsync(long projectId, long taskId) =>
        (await SendAsync(HttpMethod.Post, $"/api/v1/projects/{projectId}/tasks/{taskId}/run", null, HttpStatusCode.Accepted))["runId"]!.GetValue<long>();

    public Task<JsonObject> RunAsync(long runId) => GetAsync($"/api/v1/runs/{runId}");

    public async Task<JsonArray> RunsAsync(long projectId, long taskId) =>
        (await GetAsync($"/api/v1/projects/{projectId}/tasks/{taskId}/runs?pageSize=100"))["items"]!.AsArray();

    public Task<string> OutputAsync(long runId) => Client.GetStringAsync(new Uri($"/api/v1/runs/{runId}/output", UriKind.Relative));

    public Task<JsonObject> KillRunAsync(long runId) => SendAsync(HttpMethod.Post, $"/api/v1/runs/{runId}/kill", null, HttpStatusCode.Accepted);

    /// <summary>Waits until the run is in one of <paramref name="statuses"/>.</summary>
    public Task<JsonObject> WaitForRunAsync(long runId, int seconds, params string[] statuses) =>
        EventuallyAsync(() => RunAsync(runId), r => statuses.Contains(r.Status()), TimeSpan.FromSeconds(seconds), $"run {runId} to be {string.Join("/", statuses)}");

    public Task<JsonObject> GetAsync(string url) => SendAsync(HttpMethod.Get, url, null, HttpStatusCode.OK);

    public async Task<JsonObject> SendAsync(HttpMethod method, string url, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var value = await probe();
        while (!done(value))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}; last value: {JsonSerializer.Serialize(value)}");
            }

            await Task.Delay(100);
            value = await probe();
        }

        return value;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        Client?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Metadata(string key) => Path.GetFullPath(typeof(Cluster).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == key).Value!);
}

internal static class RunJson
{
    public static string Status(this JsonNode run) => run["status"]!.GetValue<string>();

    public static string? Text(this JsonNode run, string field) => run[field]?.GetValue<string>();
}
