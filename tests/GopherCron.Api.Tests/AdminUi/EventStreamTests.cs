using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Threading.Channels;
using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.AdminUi;

/// <summary><c>GET /api/v1/events</c>: live run status and agents for the admin UI, only for projects the caller may see.</summary>
public sealed class EventStreamTests(GopherCronApp app) : IClassFixture<GopherCronApp>
{
    private const string Never = "0 0 1 1 *";

    [Fact]
    public async Task A_member_sees_a_run_created_started_and_finished_and_the_agents_first()
    {
        using var admin = await app.AdminClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(admin);
        var (member, memberClient) = await app.CreateUserClientAsync();
        await GopherCronApp.AddMemberAsync(admin, project.Id, member.Account, "viewer");
        var taskId = await admin.CreateTaskIdAsync(project.Id, TaskApi.ShellTask(Never, "echo hi"));
        await using var events = await EventReader.OpenAsync(memberClient);

        var first = await events.NextAsync();
        first.Type.ShouldBe("agents");
        first.Data.ValueKind.ShouldBe(JsonValueKind.Array);
        first.Data.EnumerateArray().ShouldContain(a => a.GetProperty("connected").GetBoolean());

        var runId = await admin.RunNowAsync(project.Id, taskId);
        var statuses = new List<string>();
        while (!statuses.Contains("succeeded"))
        {
            var e = await events.NextAsync();
            if (e.Type == "run" && e.Data.GetProperty("runId").GetInt64() == runId)
            {
                e.Data.GetProperty("projectId").GetInt64().ShouldBe(project.Id);
                e.Data.GetProperty("taskId").GetInt64().ShouldBe(taskId);
                statuses.Add(e.Data.GetProperty("status").GetString()!);
            }
        }

        statuses.ShouldBe(["pending", "running", "succeeded"]);
    }

    [Fact]
    public async Task A_non_member_sees_no_run_of_a_project_it_is_not_in()
    {
        using var admin = await app.AdminClientAsync();
        var hidden = await GopherCronApp.CreateProjectAsync(admin);
        var (_, outsider) = await app.CreateUserClientAsync();
        var own = await GopherCronApp.CreateProjectAsync(outsider);
        var hiddenTask = await admin.CreateTaskIdAsync(hidden.Id, TaskApi.ShellTask(Never, "echo secret"));
        var ownTask = await outsider.CreateTaskIdAsync(own.Id, TaskApi.ShellTask(Never, "echo mine"));
        await using var events = await EventReader.OpenAsync(outsider);
        (await events.NextAsync()).Type.ShouldBe("agents");

        var hiddenRun = await admin.RunNowAsync(hidden.Id, hiddenTask);
        await admin.WaitForEndAsync(hiddenRun);
        // The outsider's own run afterwards: once its end arrives, any event of the hidden run would have come before it.
        var ownRun = await outsider.RunNowAsync(own.Id, ownTask);
        var seen = new List<long>();
        while (true)
        {
            var e = await events.NextAsync();
            if (e.Type != "run")
            {
                continue;
            }

            seen.Add(e.Data.GetProperty("runId").GetInt64());
            if (e.Data.GetProperty("runId").GetInt64() == ownRun && e.Data.GetProperty("status").GetString() == "succeeded")
            {
                break;
            }
        }

        seen.ShouldNotContain(hiddenRun);
        seen.ShouldContain(ownRun);
    }

    [Fact]
    public async Task The_stream_needs_a_token()
    {
        using var anonymous = app.CreateAnonymousClient();

        using var response = await anonymous.GetAsync("/api/v1/events");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    /// <summary>Reads the stream in the background so a test can wait for the next event with a deadline.</summary>
    private sealed class EventReader : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));
        private readonly Channel<(string Type, JsonElement Data)> _events = Channel.CreateUnbounded<(string, JsonElement)>();
        private HttpResponseMessage? _response;
        private Task? _pump;

        public static async Task<EventReader> OpenAsync(HttpClient client)
        {
            var reader = new EventReader();
            reader._response = await client.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead, reader._stop.Token);
            await reader._response.ShouldHaveStatusAsync(HttpStatusCode.OK);
            reader._response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
            var stream = await reader._response.Content.ReadAsStreamAsync(reader._stop.Token);
            reader._pump = Task.Run(async () =>
            {
                try
                {
                    await foreach (var item in SseParser.Create(stream).EnumerateAsync(reader._stop.Token))
                    {
                        await reader._events.Writer.WriteAsync((item.EventType, JsonDocument.Parse(item.Data).RootElement.Clone()));
                    }
                }
                catch (OperationCanceledException)
                {
                }
                finally
                {
                    reader._events.Writer.TryComplete();
                }
            });
            return reader;
        }

        public async Task<(string Type, JsonElement Data)> NextAsync()
        {
            using var wait = new CancellationTokenSource(TaskApi.Patience);
            return await _events.Reader.ReadAsync(wait.Token);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            if (_pump is not null)
            {
                await _pump;
            }

            _response?.Dispose();
            _stop.Dispose();
        }
    }
}
