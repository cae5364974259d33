using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GopherCron.Testing;

namespace GopherCron.Cluster.Tests;

/// <summary>Three host processes electing the scheduling leader with Raft over one store, each with its embedded agent.</summary>
public sealed class ReplicaFailoverTests
{
    [Fact]
    public async Task Only_the_leader_schedules_and_after_it_is_killed_another_replica_carries_on_without_duplicates()
    {
        var root = Path.Combine(Path.GetTempPath(), "gophercron-ha-" + Guid.NewGuid().ToString("N"));
        var raftPorts = Enumerable.Range(0, 3).Select(_ => HostProcess.FreePort()).ToList();
        var members = raftPorts.Select(p => $"127.0.0.1:{p}").ToList();
        var database = $"Data Source={Path.Combine(root, "shared.db")}";
        var replicas = new List<HostProcess>();
        try
        {
            // One after another: the first one creates and migrates the shared store.
            for (var i = 0; i < 3; i++)
            {
                replicas.Add(await HostProcess.StartAsync(Cluster.HostDllPath, Path.Combine(root, "host" + i), ReplicaSettings(root, database, members, i)));
            }

            using var client = await LoginAsync(replicas[0]);
            var roles = await Cluster.EventuallyAsync(() => RolesAsync(replicas), r => r.Count(x => x == "leader") == 1,
                TimeSpan.FromSeconds(20), "one leader among three replicas");
            roles.Count(r => r == "follower").ShouldBe(2);
            var leaderIndex = roles.IndexOf("leader");

            var project = (await PostAsync(client, "/api/v1/projects", new { name = "ha" }))["id"]!.GetValue<long>();
            var task = (await PostAsync(client, $"/api/v1/projects/{project}/tasks",
                new { name = "tick", cron = "* * * * * *", misfire = "fireAll", config = new { command = "echo tick" } }))["id"]!.GetValue<long>();
            await Task.Delay(TimeSpan.FromSeconds(4));
            var before = await RunsAsync(client, project, task);
            before.Count.ShouldBeGreaterThanOrEqualTo(2);
            before.ShouldAllBe(r => r!["agent"]!.GetValue<string>() == "replica" + leaderIndex, "only the leader's agent gets runs");

            await replicas[leaderIndex].KillAsync();
            var survivors = replicas.Where((_, i) => i != leaderIndex).ToList();
            var killedAt = DateTimeOffset.UtcNow;
            await Cluster.EventuallyAsync(() => RolesAsync(survivors), r => r.Count(x => x == "leader") == 1,
                TimeSpan.FromSeconds(20), "a new leader");

            using var other = await LoginAsync(survivors[0]);
            var after = await Cluster.EventuallyAsync(() => RunsAsync(other, project, task),
                runs => runs.Count(r => r!["scheduledAt"]!.GetValue<DateTimeOffset>() > killedAt.AddSeconds(2) && r["status"]!.GetValue<string>() == "succeeded") >= 2,
                TimeSpan.FromSeconds(30), "runs after the failover");
            after.Select(r => r!["scheduledAt"]!.GetValue<DateTimeOffset>()).ShouldBeUnique();
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }

            Directory.Delete(root, recursive: true);
        }
    }

    private static Dictionary<string, string> ReplicaSettings(string root, string database, List<string> members, int i)
    {
        var settings = new Dictionary<string, string>
        {
            ["Database:ConnectionString"] = database,
            ["Cluster:Listen"] = members[i],
            ["Cluster:DataPath"] = Path.Combine(root, "raft" + i),
            ["Agents:GrpcPort"] = "0",
            ["Agent:Name"] = "replica" + i,
            ["Tasks:AgentGracePeriod"] = "00:00:00.200",
            ["Tasks:MisfireThreshold"] = "00:00:02",
        };
        for (var m = 0; m < members.Count; m++)
        {
            settings[$"Cluster:Members:{m}"] = members[m];
        }

        return settings;
    }

    [Fact]
    public async Task Without_quorum_nothing_is_scheduled_reads_still_work_and_scheduling_resumes_when_quorum_returns()
    {
        var root = Path.Combine(Path.GetTempPath(), "gophercron-quorum-" + Guid.NewGuid().ToString("N"));
        var members = Enumerable.Range(0, 3).Select(_ => $"127.0.0.1:{HostProcess.FreePort()}").ToList();
        var database = $"Data Source={Path.Combine(root, "shared.db")}";
        var ports = Enumerable.Range(0, 3).Select(_ => HostProcess.FreePort()).ToList();
        var replicas = new List<HostProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                replicas.Add(await HostProcess.StartAsync(Cluster.HostDllPath, Path.Combine(root, "host" + i), ReplicaSettings(root, database, members, i), ports[i]));
            }

            await Cluster.EventuallyAsync(() => RolesAsync(replicas), r => r.Count(x => x == "leader") == 1, TimeSpan.FromSeconds(20), "a leader");
            using var client = await LoginAsync(replicas[2]);
            var project = (await PostAsync(client, "/api/v1/projects", new { name = "quorum" }))["id"]!.GetValue<long>();

            // Two of three down: the survivor cannot lead alone.
            await replicas[0].KillAsync();
            await replicas[1].KillAsync();
            var cluster = await Cluster.EventuallyAsync(async () => JsonNode.Parse(await client.GetStringAsync("/api/v1/cluster"))!.AsObject(),
                c => c["role"]!.GetValue<string>() != "leader" && c["leader"] is null, TimeSpan.FromSeconds(20), "the survivor to report no leader");
            cluster["role"]!.GetValue<string>().ShouldBeOneOf("candidate", "follower");

            // It still answers reads and writes, but nothing fires.
            var task = (await PostAsync(client, $"/api/v1/projects/{project}/tasks",
                new { name = "tick", cron = "* * * * * *", config = new { command = "echo tick" } }))["id"]!.GetValue<long>();
            (await client.GetStringAsync($"/api/v1/projects/{project}/tasks/{task}")).ShouldContain("\"tick\"");
            await Task.Delay(TimeSpan.FromSeconds(3));
            (await RunsAsync(client, project, task)).Count.ShouldBe(0);

            // Quorum returns with one replica restarted on its own Raft log: scheduling resumes by itself.
            replicas[0] = await HostProcess.StartAsync(Cluster.HostDllPath, Path.Combine(root, "host0"), ReplicaSettings(root, database, members, 0), ports[0]);
            await Cluster.EventuallyAsync(() => RolesAsync([replicas[0], replicas[2]]), r => r.Count(x => x == "leader") == 1,
                TimeSpan.FromSeconds(30), "a leader once quorum is back");
            await Cluster.EventuallyAsync(() => RunsAsync(client, project, task), runs => runs.Any(r => r!["status"]!.GetValue<string>() == "succeeded"),
                TimeSpan.FromSeconds(30), "the task to run again");
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }

            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<List<string>> RolesAsync(IEnumerable<HostProcess> replicas)
    {
        var roles = new List<string>();
        foreach (var replica in replicas)
        {
            using var client = await LoginAsync(replica);
            roles.Add(JsonNode.Parse(await client.GetStringAsync("/api/v1/cluster"))!["role"]!.GetValue<string>());
        }

        return roles;
    }

    private static async Task<HttpClient> LoginAsync(HostProcess host)
    {
        var client = host.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { account = "admin", password = "123456" });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>());
        return client;
    }

    private static async Task<JsonObject> PostAsync(HttpClient client, string url, object body)
    {
        using var response = await client.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<JsonArray> RunsAsync(HttpClient client, long project, long task) =>
        JsonNode.Parse(await client.GetStringAsync($"/api/v1/projects/{project}/tasks/{task}/runs?pageSize=500"))!["items"]!.AsArray();
}
