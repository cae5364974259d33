using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GopherCron.Testing;

namespace GopherCron.Cluster.Tests;

/// <summary>The host on MariaDB, and MariaDB restarting under it while runs go on.</summary>
public sealed class DatabaseRestartTests
{
    [Fact]
    public async Task A_run_that_ends_while_mariadb_is_down_keeps_its_result_and_scheduling_resumes()
    {
        await using var mariadb = await MariaDbProcess.StartAsync();
        var data = Path.Combine(Path.GetTempPath(), "gophercron-dbrestart-" + Guid.NewGuid().ToString("N"));
        await using var host = await HostProcess.StartAsync(Cluster.HostDllPath, data, new Dictionary<string, string>
        {
            ["Database:Provider"] = "mariadb",
            ["Database:ConnectionString"] = mariadb.ConnectionString,
            ["Tasks:AgentGracePeriod"] = "00:00:00.200",
            ["Agents:GrpcPort"] = "0",
        });
        using var client = host.CreateClient();
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { account = "admin", password = "123456" });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await login.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>());

        async Task<JsonObject> Post(string url, object? body, HttpStatusCode expected)
        {
            using var response = await client.PostAsJsonAsync(url, body);
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(expected, text);
            return JsonNode.Parse(text)!.AsObject();
        }

        var project = (await Post("/api/v1/projects", new { name = "db-restart" }, HttpStatusCode.Created))["id"]!.GetValue<long>();
        var slow = (await Post($"/api/v1/projects/{project}/tasks",
            new { name = "slow", cron = "0 0 1 1 *", enabled = false, config = new { command = "sleep 5; echo kept" } }, HttpStatusCode.Created))["id"]!.GetValue<long>();
        var ticker = (await Post($"/api/v1/projects/{project}/tasks",
            new { name = "ticker", cron = "* * * * * *", misfire = "fireAll", config = new { command = "echo tick" } }, HttpStatusCode.Created))["id"]!.GetValue<long>();
        var runId = (await Post($"/api/v1/projects/{project}/tasks/{slow}/run", null, HttpStatusCode.Accepted))["runId"]!.GetValue<long>();
        await Cluster.EventuallyAsync(async () => JsonNode.Parse(await client.GetStringAsync($"/api/v1/runs/{runId}"))!["status"]!.GetValue<string>(),
            s => s == "running", TimeSpan.FromSeconds(20), "the slow run to start");

        await mariadb.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(8)); // the slow run ends in here, with the store away
        await mariadb.StartAgainAsync();
        var restarted = DateTimeOffset.UtcNow;

        var run = await Cluster.EventuallyAsync(async () => JsonNode.Parse(await client.GetStringAsync($"/api/v1/runs/{runId}"))!.AsObject(),
            r => r["status"]!.GetValue<string>() != "running", TimeSpan.FromSeconds(40), "the buffered result to be written");
        run["status"]!.GetValue<string>().ShouldBe("succeeded", host.Log);
        (await client.GetStringAsync($"/api/v1/runs/{runId}/output")).ShouldBe("kept\n");

        // Scheduling resumes by itself, and no fire was claimed twice across the outage.
        var runs = await Cluster.EventuallyAsync(
            async () => JsonNode.Parse(await client.GetStringAsync($"/api/v1/projects/{project}/tasks/{ticker}/runs?pageSize=500"))!["items"]!.AsArray(),
            items => items.Any(r => r!["status"]!.GetValue<string>() == "succeeded" && r["scheduledAt"]!.GetValue<DateTimeOffset>() > restarted),
            TimeSpan.FromSeconds(40), "the ticker to run again after the restart");
        runs.Select(r => r!["scheduledAt"]!.GetValue<DateTimeOffset>()).ShouldBeUnique();
        await host.StopAsync();
        Directory.Delete(data, recursive: true);
    }
}
