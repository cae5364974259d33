using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Diagnostics;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Serialization;
using GopherCron.Modules.Logs.Contracts;
using GopherCron.Modules.Logs.Data;
using GopherCron.Modules.Logs.Live;
using GopherCron.Modules.Shared.Cluster;
using GopherCron.Modules.Projects.Contracts;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GopherCron.Modules.Logs.Features;

/// <summary>One server-sent event of a followed run: <c>output</c> (seq, text), <c>status</c>, <c>ping</c> or <c>end</c>.</summary>
internal sealed record FollowEvent(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Seq = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null);

internal static class GetRunOutput
{
    private static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StorePollEvery = TimeSpan.FromMilliseconds(500);

    public static RouteHandlerBuilder MapGetRunOutput(this IEndpointRouteBuilder group) =>
        group.MapGet("/runs/{runId:long}/output", HandleAsync).WithName(nameof(GetRunOutput));

    private static async Task<IResult> HandleAsync(
        long runId, bool? follow, ClaimsPrincipal user, LogsDb db, IProjectAccess access, RunFeed feed, HttpContext http, CancellationToken cancellationToken)
    {
        var (_, denied) = await RunAccess.FindAsync(db, access, user, runId, ProjectRole.Viewer, cancellationToken);
        if (denied is not null)
        {
            return denied;
        }

        if (follow != true)
        {
            return Results.Stream(stream => WriteStoredAsync(db, runId, stream, cancellationToken), "text/plain; charset=utf-8");
        }

        // The follower subscribes before reading what is stored, so nothing committed in between is missed;
        // sequence numbers drop what arrives both ways. It owns its own connection: the stream outlives the handler.
        var options = http.RequestServices.GetRequiredService<GopherCron.Modules.Shared.Data.Database>().Options;
        var leadership = http.RequestServices.GetRequiredService<ILeadership>();
        return TypedResults.ServerSentEvents(FollowAsync(options, feed, leadership, runId, cancellationToken));
    }

    private static async Task WriteStoredAsync(LogsDb db, long runId, Stream stream, CancellationToken cancellationToken)
    {
        await foreach (var row in db.Output.Where(o => o.RunId == runId).OrderBy(o => o.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(row.Content), cancellationToken);
        }
    }

    private static async IAsyncEnumerable<SseItem<FollowEvent>> FollowAsync(
        LinqToDB.DataOptions options, RunFeed feed, ILeadership leadership, long runId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var follower = feed.Follow(runId);
        var last = 0;
        string status;
        await using (var db = new LogsDb(options))
        {
            // Status before output: if the run had ended, all its output was committed before that.
            status = await db.Runs.Where(r => r.Id == runId).Select(r => r.Status).FirstAsync(cancellationToken);
            await foreach (var row in db.Output.Where(o => o.RunId == runId).OrderBy(o => o.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                last = row.Sequence;
                yield return Output(row.Sequence, row.Content);
            }
        }

        yield return new SseItem<FollowEvent>(new FollowEvent(Status: status), "status");
        if (RunStatusExtensions.TryParseStatus(status, out var parsed) && parsed.IsTerminal())
        {
            yield return End();
            yield break;
        }

        var lastSent = Stopwatch.GetTimestamp();
        var wasLive = true;
        while (true)
        {
            // Agents report to the leader, so its feed carries the run live. Another replica reads what the leader
            // commits instead, which also carries a follow across a change of leader.
            var live = leadership.Role is ClusterRole.Standalone or ClusterRole.Leader;
            var catchUp = !live || !wasLive;
            wasLive = live;
            if (catchUp)
            {
                var polled = await PollStoredAsync(options, runId, last, cancellationToken);
                foreach (var (seq, text) in polled.Output)
                {
                    last = seq;
                    yield return Output(seq, text);
                    lastSent = Stopwatch.GetTimestamp();
                }

                if (polled.Status is { } current && current != status)
                {
                    status = current;
                    yield return new SseItem<FollowEvent>(new FollowEvent(Status: status), "status");
                    lastSent = Stopwatch.GetTimestamp();
                    if (RunStatusExtensions.TryParseStatus(status, out var ended) && ended.IsTerminal())
                    {
                        yield return End();
                        yield break;
                    }
                }
            }

            RunFeedEvent? next = null;
            string? failure = null;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                wait.CancelAfter(live ? PingEvery : StorePollEvery);
                try
                {
                    next = await follower.Reader.ReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                }
                catch (FollowerLaggedException e)
                {
                    failure = e.Message + " Reconnect to continue.";
                }
            }

            if (failure is not null)
            {
                yield return new SseItem<FollowEvent>(new FollowEvent(Error: failure), "error");
                yield break;
            }

            switch (next)
            {
                case null when Stopwatch.GetElapsedTime(lastSent) >= PingEvery:
                    lastSent = Stopwatch.GetTimestamp();
                    yield return new SseItem<FollowEvent>(new FollowEvent(), "ping");
                    break;
                case null:
                    break;
                case OutputAppended output when output.Sequence > last:
                    last = output.Sequence;
                    yield return Output(output.Sequence, output.Text);
                    break;
                case StatusChanged change:
                    yield return new SseItem<FollowEvent>(new FollowEvent(Status: change.Status.ToWire()), "status");
                    if (change.Status.IsTerminal())
                    {
                        yield return End();
                        yield break;
                    }

                    break;
            }
        }
    }

    private static async Task<(List<(int Seq, string Text)> Output, string? Status)> PollStoredAsync(
        LinqToDB.DataOptions options, long runId, int after, CancellationToken cancellationToken)
    {
        await using var db = new LogsDb(options);

        // Status first, as above: output committed before a terminal status is then read with it.
        var status = await db.Runs.Where(r => r.Id == runId).Select(r => r.Status).FirstOrDefaultAsync(cancellationToken);
        var rows = await db.Output.Where(o => o.RunId == runId && o.Sequence > after).OrderBy(o => o.Sequence)
            .Select(o => new { o.Sequence, o.Content }).ToListAsync(cancellationToken);
        return ([.. rows.Select(r => (r.Sequence, r.Content))], status);
    }

    private static SseItem<FollowEvent> Output(int seq, string text) => new(new FollowEvent(seq, text), "output");

    private static SseItem<FollowEvent> End() => new(new FollowEvent(), "end");
}
