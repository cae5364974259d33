using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GopherCron.Testing;

namespace GopherCron.Cluster.Tests;

/// <summary>
/// The production shape on loopback: three host replicas electing the scheduling leader with Raft over one MariaDB,
/// etcd, and two standalone agents that know every replica and find the leader by themselves. A fire-all task runs
/// every second; the command itself appends each execution to a file, so executions are counted from the agents'
/// side, not from the database the scheduler writes.
/// </summary>
internal sealed class HaCluster : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gophercron-ha-" + Guid.NewGuid().ToString("N"));
    private readonly List<string> _members = [.. Enumerable.Range(0, 3).Select(_ => $"127.0.0.1:{HostProcess.FreePort()}")];
    private readonly List<int> _ports = [.. Enumerable.Range(0, 3).Select(_ => HostProcess.FreePort())];
    private readonly List<int> _grpcPorts = [.. Enumerable.Range(0, 3).Select(_ => HostProcess.FreePort())];
    private readonly List<AgentProcess> _agents = [];
    private MariaDbProcess _mariadb = null!;
    private EtcdProcess _etcd = null!;
    private string _token = "";

    public HostProcess?[] Replicas { get; } = new HostProcess?[3];

    /// <summary>Every execution of the ticking task: "scheduledAt executedAtUnixMs runId", appended by the command.</summary>
    public string ExecutionsFile => Path.Combine(_root, "executions.log");

    public long ProjectId { get; private set; }

    public long TaskId { get; private set; }

    public IReadOnlyList<AgentProcess> Agents => _agents;

    public static async Task<HaCluster> StartAsync()
    {
        var cluster = new HaCluster();
        try
        {
            await cluster.StartCoreAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync()
    {
        Directory.CreateDirectory(_root);
        _mariadb = await MariaDbProcess.StartAsync();
        _etcd = await EtcdProcess.StartAsync();

        // One after another: the first creates and migrates the schema (the others find it done).
        for (var i = 0; i < 3; i++)
        {
            await StartReplicaAsync(i);
        }

        await WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        using var client = await ClientAsync();
        ProjectId = (await PostAsync(client, "/api/v1/projects", new { name = "ha" }))["id"]!.GetValue<long>();
        var projectToken = JsonNode.Parse(await client.GetStringAsync($"/api/v1/projects/{ProjectId}/token"))!["token"]!.GetValue<string>();
        var hosts = _grpcPorts.Select(p => $"http://127.0.0.1:{p}").ToList();
        for (var n = 1; n <= 2; n++)
        {
            var agent = AgentProcess.Start(Cluster.AgentDllPath, "ha-agent" + n, hosts, new Dictionary<string, string>
            {
                ["Agent:Project"] = $"{ProjectId}:{projectToken}",
                ["Etcd:Endpoints"] = _etcd.Endpoint,
                ["Etcd:LeaseTtl"] = "00:00:03",
            });
            _agents.Add(agent);
        }

        foreach (var agent in _agents)
        {
            await agent.WaitForLogAsync("Connected to", seconds: 60);
        }

        var command = $"echo \"$GOPHERCRON_SCHEDULED_AT $(date +%s%3N) $GOPHERCRON_RUN_ID\" >> '{ExecutionsFile}'";
        TaskId = (await PostAsync(client, $"/api/v1/projects/{ProjectId}/tasks",
            new { name = "tick", cron = "* * * * * *", misfire = "fireAll", config = new { command } }))["id"]!.GetValue<long>();
    }

    public async Task StartReplicaAsync(int i)
    {
        var settings = new Dictionary<string, string>
        {
            ["Database:Provider"] = "mariadb",
            ["Database:ConnectionString"] = _mariadb.ConnectionString,
            ["Cluster:Listen"] = _members[i],
            ["Cluster:DataPath"] = Path.Combine(_root, "raft" + i),
            ["Agents:GrpcPort"] = _grpcPorts[i].ToString(CultureInfo.InvariantCulture),
            ["Agent:Embedded"] = "false",
            ["Etcd:Endpoints"] = _etcd.Endpoint,
            ["Tasks:AgentLostAfter"] = "00:00:10",
        };
        for (var m = 0; m < _members.Count; m++)
        {
            settings[$"Cluster:Members:{m}"] = _members[m];
        }

        Replicas[i] = await HostProcess.StartAsync(Cluster.HostDllPath, Path.Combine(_root, "host" + i), settings, _ports[i]);
    }

    public async Task KillReplicaAsync(int i)
    {
        await Replicas[i]!.KillAsync();
        await Replicas[i]!.DisposeAsync();
        Replicas[i] = null;
    }

    /// <summary>Each live replica's view: (index, role, term, leader).</summary>
    public async Task<List<(int Index, string Role, long Term, string? Leader)>> ViewsAsync(IEnumerable<int>? only = null)
    {
        var views = new List<(int, string, long, string?)>();
        foreach (var i in only ?? Enumerable.Range(0, 3))
        {
            if (Replicas[i] is not { } replica)
            {
                continue;
            }

            using var client = replica.CreateClient();
            client.Timeout = TimeSpan.FromSeconds(3);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            try
            {
                var view = JsonNode.Parse(await client.GetStringAsync("/api/v1/cluster"))!;
                views.Add((i, view["role"]!.GetValue<string>(), view["term"]!.GetValue<long>(), view["leader"]?.GetValue<string>()));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Frozen or stopping: it has no view to give.
            }
        }

        return views;
    }

    /// <summary>Waits until exactly one replica (among <paramref name="among"/>) leads, and returns its index and term.</summary>
    public async Task<(int Index, long Term)> WaitForLeaderAsync(TimeSpan timeout, IEnumerable<int>? among = null)
    {
        if (_token.Length == 0)
        {
            await LoginAsync();
        }

        var views = await Cluster.EventuallyAsync(() => ViewsAsync(among), v => v.Count(x => x.Role == "leader") == 1,
            timeout, "one leader");
        var leader = views.Single(v => v.Role == "leader");
        return (leader.Index, leader.Term);
    }

    /// <summary>A client on any live replica, signed in.</summary>
    public async Task<HttpClient> ClientAsync(int? replica = null)
    {
        if (_token.Length == 0)
        {
            await LoginAsync();
        }

        var host = replica is { } i ? Replicas[i]! : Replicas.First(r => r is not null)!;
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        return client;
    }

    private async Task LoginAsync()
    {
        using var client = Replicas.First(r => r is not null)!.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { account = "admin", password = "123456" });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        _token = (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    public static async Task<JsonObject> PostAsync(HttpClient client, string url, object? body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await client.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The executions the agents' commands recorded.</summary>
    public List<Execution> Executions()
    {
        if (!File.Exists(ExecutionsFile))
        {
            return [];
        }

        return [.. File.ReadAllLines(ExecutionsFile)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length == 3)
            .Select(parts => new Execution(
                DateTimeOffset.Parse(parts[0], CultureInfo.InvariantCulture),
                DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[1], CultureInfo.InvariantCulture)),
                long.Parse(parts[2], CultureInfo.InvariantCulture)))];
    }

    /// <summary>
    /// Checks the agents' record between two instants: every whole second executed (fire-all), none twice. Returns
    /// the executions of that window.
    /// </summary>
    public List<Execution> ShouldHaveEverySecondOnce(DateTimeOffset from, DateTimeOffset to, string because)
    {
        var executions = Executions();
        var duplicates = executions.GroupBy(e => e.ScheduledAt).Where(g => g.Count() > 1).Select(g => g.Key.ToString("O")).ToList();
        duplicates.ShouldBeEmpty($"instants executed more than once ({because})");
        var seen = executions.Select(e => e.ScheduledAt.ToUnixTimeSeconds()).ToHashSet();
        var missing = new List<string>();
        for (var second = from.ToUnixTimeSeconds() + 1; second < to.ToUnixTimeSeconds(); second++)
        {
            if (!seen.Contains(second))
            {
                missing.Add(DateTimeOffset.FromUnixTimeSeconds(second).ToString("O"));
            }
        }

        missing.ShouldBeEmpty($"instants never executed ({because}); replica logs:\n{string.Join("\n----\n", Replicas.Where(r => r is not null).Select(r => Tail(r!.Log)))}");
        return [.. executions.Where(e => e.ScheduledAt > from && e.ScheduledAt < to)];
    }

    /// <summary>The first execution recorded after <paramref name="at"/>: the new leader's first dispatch.</summary>
    public TimeSpan GapAfter(DateTimeOffset at) =>
        Executions().Where(e => e.ExecutedAt > at).Select(e => e.ExecutedAt).DefaultIfEmpty(DateTimeOffset.MaxValue).Min() - at;

    private static string Tail(string log) => log.Length > 6000 ? log[^6000..] : log;

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        foreach (var replica in Replicas)
        {
            if (replica is not null)
            {
                ProcessSignals.Send(replica.ProcessId, ProcessSignals.SigCont);
                await replica.DisposeAsync();
            }
        }

        if (_etcd is not null)
        {
            await _etcd.DisposeAsync();
        }

        if (_mariadb is not null)
        {
            await _mariadb.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal sealed record Execution(DateTimeOffset ScheduledAt, DateTimeOffset ExecutedAt, long RunId);
