using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Threading.Channels;
using GopherCron.Modules.Logs.Contracts;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Shared.Cluster;
using GopherCron.Modules.Shared.Security;
using GopherCron.Modules.Tasks.Dispatching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace GopherCron.Modules.Tasks.Features;

/// <summary>A run's new status, as the <c>run</c> event carries it.</summary>
internal sealed record RunEventBody(long RunId, long ProjectId, long TaskId, string Status, string? Agent);

/// <summary>
/// <c>GET /api/v1/events</c>: a server-sent event stream of what the admin UI shows live, limited to what the caller may
/// see. <c>run</c> (a run was created, started or ended, in a project the caller is a member of), <c>agents</c> (the
/// visible agent list, at once and whenever an agent connects, disconnects, or its weight changes), <c>ping</c> every
/// 15 s of silence, and <c>error</c> when the stream fell behind (reconnect).
/// </summary>
internal static class StreamEvents
{
    private static readonly TimeSpan AgentCheckEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MembershipRefresh = TimeSpan.FromSeconds(5);

    public static RouteHandlerBuilder MapStreamEvents(this IEndpointRouteBuilder api) =>
        api.MapGet("/events", (ClaimsPrincipal user, IRunEvents runs, AgentRegistry registry, EtcdAgentDirectory directory, IProjectAccess access,
                TimeProvider clock, IHostApplicationLifetime lifetime, ILeadership leadership, HttpContext http) =>
            {
                // The stream never ends by itself: it ends when the client goes or the host stops (so shutdown is not held
                // up), and with several replicas when this one stops leading: runs and agents are then reported elsewhere,
                // and the client's reconnect reaches the new leader (followers forward this stream to the leader).
                var ends = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping, leadership.LeadershipToken);
                http.Response.RegisterForDispose(ends);
                return TypedResults.ServerSentEvents(StreamAsync(user, runs, registry, directory, access, clock, ends.Token));
            })
            .WithName(nameof(StreamEvents))
            .ServedByLeader();

    private static async IAsyncEnumerable<SseItem<object>> StreamAsync(
        ClaimsPrincipal user, IRunEvents runs, AgentRegistry registry, EtcdAgentDirectory directory, IProjectAccess access,
        TimeProvider clock, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var subscription = runs.Subscribe();
        var admin = user.IsSystemAdmin();
        var visible = admin ? [] : (await access.VisibleProjectIdsAsync(user, cancellationToken)).ToHashSet();
        var visibleAt = clock.GetUtcNow();

        var agents = await ListAgents.VisibleAsync(user, registry, directory, access, clock, cancellationToken);
        var fingerprint = Fingerprint(agents);
        yield return new SseItem<object>(agents, "agents");

        var lastSent = clock.GetUtcNow();
        var read = subscription.Reader.WaitToReadAsync(cancellationToken).AsTask();
        var tick = Task.Delay(AgentCheckEvery, clock, cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            var lagged = false;
            try
            {
                await Task.WhenAny(read, tick);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            if (read.IsCompleted)
            {
                bool more;
                try
                {
                    more = await read;
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
                catch (InvalidOperationException)
                {
                    more = false;
                    lagged = true;
                }

                if (!more)
                {
                    if (lagged || subscription.Reader.Completion.IsFaulted)
                    {
                        yield return new SseItem<object>(new { error = "The event stream fell behind. Reconnect to continue." }, "error");
                    }

                    yield break;
                }

                while (subscription.Reader.TryRead(out var e))
                {
                    if (!admin && !visible.Contains(e.ProjectId) && clock.GetUtcNow() - visibleAt > MembershipRefresh)
                    {
                        // Perhaps a project created or joined since the stream started.
                        visible = (await access.VisibleProjectIdsAsync(user, cancellationToken)).ToHashSet();
                        visibleAt = clock.GetUtcNow();
                    }

                    if (admin || visible.Contains(e.ProjectId))
                    {
                        lastSent = clock.GetUtcNow();
                        yield return new SseItem<object>(new RunEventBody(e.RunId, e.ProjectId, e.TaskId, e.Status.ToWire(), e.Agent), "run");
                    }
                }

                read = subscription.Reader.WaitToReadAsync(cancellationToken).AsTask();
            }

            if (tick.IsCompleted)
            {
                tick = Task.Delay(AgentCheckEvery, clock, cancellationToken);
                agents = await ListAgents.VisibleAsync(user, registry, directory, access, clock, cancellationToken);
                var next = Fingerprint(agents);
                if (next != fingerprint)
                {
                    fingerprint = next;
                    lastSent = clock.GetUtcNow();
                    yield return new SseItem<object>(agents, "agents");
                }
                else if (clock.GetUtcNow() - lastSent >= PingEvery)
                {
                    lastSent = clock.GetUtcNow();
                    yield return new SseItem<object>(new { }, "ping");
                }
            }
        }
    }

    // What the UI shows of an agent, less the heartbeat time (which changes on every beat).
    private static string Fingerprint(List<AgentResponse> agents) => string.Join('\n', agents.Select(a =>
        $"{a.Id}|{a.Connected}|{a.Weight}|{a.Version}|{string.Join(',', a.Executors)}|{string.Join(',', a.Labels.Select(l => l.Key + "=" + l.Value))}"));
}
