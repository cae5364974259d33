using System.Net;
using System.Text.Json.Nodes;
using GopherCron.Testing;
using static GopherCron.EndToEnd.Tests.Api;

namespace GopherCron.EndToEnd.Tests;

/// <summary>The embedded default as a user runs it: one real host process, SQLite, the built-in agent, /bin/sh.</summary>
public sealed class EmbeddedHostTests : IAsyncLifetime
{
    private readonly string _data = NewDataDirectory();
    private HostProcess _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await StartHostAsync(_data);
        _client = await LoginAsync(_host);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task An_every_second_task_runs_on_time_and_keeps_its_output()
    {
        var project = await CreateProjectAsync(_client, "every-second");
        var task = await CreateTaskAsync(_client, project, new { name = "hello", cron = "* * * * * *", config = new { command = "echo hello; sleep 0.2" } });

        await Task.Delay(TimeSpan.FromSeconds(7));
        var runs = await RunsAsync(_client, project, task);

        var succeeded = runs.Where(r => r!.Status() == "succeeded").ToList();
        succeeded.Count.ShouldBeGreaterThanOrEqualTo(4, _host.Log);
        foreach (var run in succeeded)
        {
            run!["trigger"]!.GetValue<string>().ShouldBe("cron");
            run["exitCode"]!.GetValue<int>().ShouldBe(0);
            var scheduled = run["scheduledAt"]!.GetValue<DateTimeOffset>();
            scheduled.Millisecond.ShouldBe(0);
            (run["startedAt"]!.GetValue<DateTimeOffset>() - scheduled).ShouldBeLessThan(TimeSpan.FromSeconds(1));
            (await OutputAsync(_client, run["id"]!.GetValue<long>())).ShouldBe("hello\n");
        }

        runs.Select(r => r!["scheduledAt"]!.GetValue<DateTimeOffset>()).ShouldBeUnique();
    }

    [Fact]
    public async Task A_long_run_can_be_followed_live_while_it_runs()
    {
        var project = await CreateProjectAsync(_client, "follow");
        var task = await CreateTaskAsync(_client, project, new
        {
            name = "ticker",
            cron = "0 0 1 1 *",
            enabled = false,
            config = new { command = "for i in 1 2 3 4; do echo tick $i; sleep 1; done" },
        });
        var runId = (await PostAsync(_client, $"/api/v1/projects/{project}/tasks/{task}/run", null, HttpStatusCode.Accepted))["runId"]!.GetValue<long>();

        using var response = await _client.GetAsync($"/api/v1/runs/{runId}/output?follow=true", HttpCompletionOption.ResponseHeadersRead);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var ticks = new List<string>();
        string? eventName = null;
        var statusWhenFirstTickArrived = "";
        var ended = false;
        while (!ended && await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line[7..];
                ended = eventName == "end";
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == "output")
            {
                ticks.Add(JsonNode.Parse(line[6..])!["text"]!.GetValue<string>());
                if (ticks.Count == 1)
                {
                    statusWhenFirstTickArrived = (await GetAsync(_client, $"/api/v1/runs/{runId}")).Status();
                }
            }
        }

        ended.ShouldBeTrue();
        string.Concat(ticks).ShouldBe("tick 1\ntick 2\ntick 3\ntick 4\n");
        statusWhenFirstTickArrived.ShouldBe("running");
        (await GetAsync(_client, $"/api/v1/runs/{runId}")).Status().ShouldBe("succeeded");
    }

    [Fact]
    public async Task Killing_a_run_ends_its_whole_process_tree()
    {
        var project = await CreateProjectAsync(_client, "kill");
        var task = await CreateTaskAsync(_client, project, new
        {
            name = "sleepers",
            cron = "0 0 1 1 *",
            enabled = false,
            config = new { command = "sleep 161 & sleep 162; wait" },
        });
        var runId = (await PostAsync(_client, $"/api/v1/projects/{project}/tasks/{task}/run", null, HttpStatusCode.Accepted))["runId"]!.GetValue<long>();
        await EventuallyAsync(() => Task.FromResult(ProcessTable.Find("sleep 161").Count + ProcessTable.Find("sleep 162").Count),
            n => n == 2, TimeSpan.FromSeconds(15), "both sleeps to start");

        await PostAsync(_client, $"/api/v1/runs/{runId}/kill", null, HttpStatusCode.Accepted);

        var run = await EventuallyAsync(() => GetAsync(_client, $"/api/v1/runs/{runId}"), r => r.Status() != "running",
            TimeSpan.FromSeconds(15), "the run to end");
        run.Status().ShouldBe("killed");
        run["error"]!.GetValue<string>().ShouldContain("killed by admin");
        ProcessTable.Find("sleep 161").ShouldBeEmpty();
        ProcessTable.Find("sleep 162").ShouldBeEmpty();
    }
}
