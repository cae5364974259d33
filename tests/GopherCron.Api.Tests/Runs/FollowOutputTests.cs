using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.Runs;

/// <summary><c>GET /runs/{id}/output?follow=true</c>: server-sent events while the run goes on.</summary>
public sealed class FollowOutputTests(GopherCronApp app) : IClassFixture<GopherCronApp>
{
    private const string Never = "0 0 1 1 *";

    [Fact]
    public async Task Following_a_run_streams_its_output_live_then_its_end()
    {
        var (client, project) = await ProjectAsync();
        var taskId = await client.CreateTaskIdAsync(project, TaskApi.ShellTask(Never, "for i in 1 2 3; do echo tick $i; sleep 1; done"));
        var runId = await client.RunNowAsync(project, taskId);
        using var timeout = new CancellationTokenSource(TaskApi.Patience);

        using var response = await client.GetAsync($"/api/v1/runs/{runId}/output?follow=true", HttpCompletionOption.ResponseHeadersRead, timeout.Token);

        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        var events = new List<(string Type, JsonElement Data)>();
        string? statusAtFirstOutput = null;
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(timeout.Token))
        {
            events.Add((item.EventType, JsonDocument.Parse(item.Data).RootElement.Clone()));
            if (item.EventType == "output" && statusAtFirstOutput is null)
            {
                statusAtFirstOutput = (await client.RunAsync(runId)).Status();
            }

            if (item.EventType == "end")
            {
                break;
            }
        }

        statusAtFirstOutput.ShouldBe("running", "the first output should arrive while the run is still going");
        var outputs = events.Where(e => e.Type == "output").ToList();
        string.Concat(outputs.Select(e => e.Data.GetProperty("text").GetString())).ShouldBe("tick 1\ntick 2\ntick 3\n");
        outputs.Select(e => e.Data.GetProperty("seq").GetInt32()).ShouldBeInOrder(SortDirection.Ascending);
        outputs.Select(e => e.Data.GetProperty("seq").GetInt32()).ShouldBeUnique();
        events[^1].Type.ShouldBe("end");
        events[^2].Type.ShouldBe("status");
        events[^2].Data.GetProperty("status").GetString().ShouldBe("succeeded");
        events.FindIndex(e => e.Type == "output").ShouldBeLessThan(events.FindLastIndex(e => e.Type == "status"));
        events.Where(e => e.Type == "error").ShouldBeEmpty();
        (await client.RunAsync(runId)).Status().ShouldBe("succeeded");
    }

    [Fact]
    public async Task Following_a_finished_run_returns_the_stored_output_and_ends_at_once()
    {
        var (client, project) = await ProjectAsync();
        var taskId = await client.CreateTaskIdAsync(project, TaskApi.ShellTask(Never, "echo first line; echo second line; exit 2"));
        var runId = await client.RunNowAsync(project, taskId);
        await client.WaitForEndAsync(runId);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        using var response = await client.GetAsync($"/api/v1/runs/{runId}/output?follow=true", HttpCompletionOption.ResponseHeadersRead, timeout.Token);

        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var events = new List<(string Type, JsonElement Data)>();
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        // Reading to the end of the stream: the server must close it after `end`, well before the 15 s ping.
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(timeout.Token))
        {
            events.Add((item.EventType, JsonDocument.Parse(item.Data).RootElement.Clone()));
        }

        events.Select(e => e.Type).Distinct().ShouldBe(["output", "status", "end"]);
        events[^1].Type.ShouldBe("end");
        events[^2].Data.GetProperty("status").GetString().ShouldBe("failed");
        string.Concat(events.Where(e => e.Type == "output").Select(e => e.Data.GetProperty("text").GetString())).ShouldBe("first line\nsecond line\n");
    }

    private async Task<(HttpClient Client, long Project)> ProjectAsync()
    {
        var (_, client) = await app.CreateUserClientAsync();
        return (client, (await GopherCronApp.CreateProjectAsync(client)).Id);
    }
}
