using System.Security.Cryptography;
using GopherCron.Agent.Discovery;
using GopherCron.Agent.Plugins;
using GopherCron.Agent.Protocol;
using GopherCron.Agent.Protocol.Grpc;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GopherCron.Agent.Service;

/// <summary>
/// Keeps the agent connected: dials the configured hosts in order, greets with its credentials and the runs it holds,
/// then feeds host messages to the runtime and the outbox to the stream. Any failure (host down, stream dropped,
/// credentials refused) is logged and retried with a backoff; runs keep going meanwhile.
/// </summary>
/// <remarks>
/// Stopping (SIGTERM) kills the runs in progress, waits up to <see cref="StandaloneAgentOptions.ShutdownResultsTimeout"/>
/// for the host to acknowledge their results, and only then closes the stream.
/// </remarks>
internal sealed partial class HostConnection(
    AgentRuntime runtime,
    AgentOutbox outbox,
    ExecutorCatalog catalog,
    StandaloneAgentOptions options,
    IServiceProvider services,
    ILogger<HostConnection> logger) : BackgroundService
{
    private readonly string _agentId = options.Name + "#" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    private readonly string _version = typeof(HostConnection).Assembly.GetName().Version?.ToString() ?? "0.0.0";
    private readonly CancellationTokenSource _disconnect = new();
    private volatile CancellationTokenSource? _attempt;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await runtime.StopAsync(cancellationToken);
            using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            grace.CancelAfter(options.ShutdownResultsTimeout);
            await outbox.WaitUntilAcknowledgedAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            LogResultsUnacknowledged(outbox.PendingRunIds.Count);
        }

        await _disconnect.CancelAsync();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The stream outlives stoppingToken: results of the runs killed at shutdown still have to go out.
        var token = _disconnect.Token;
        if (services.GetService<IAgentPresence>() is { } presence)
        {
            _ = RunPresenceAsync(presence, token);
        }

        // Hot-loaded plugins: the protocol has no message for a changed executor list, so the agent greets again. Its
        // runs survive the reconnect (the Hello lists them as held) and the host learns the new kinds from the Hello.
        catalog.KindsChanged += kinds =>
        {
            LogRegreeting(string.Join(",", kinds));
            CancelAttempt();
        };

        // With etcd, the leader's announcement moves the agent at once (even off a frozen leader whose stream looks open).
        var leaderWatch = services.GetService<EtcdLeaderWatch>();
        string? connectedTo = null;
        if (leaderWatch is not null)
        {
            leaderWatch.Changed += announcement =>
            {
                if (connectedTo is { } host && !SameHost(host, announcement.AgentsUrl))
                {
                    LogLeaderMoved(host, announcement.AgentsUrl, announcement.Term);
                    CancelAttempt();
                }

                // An agent waiting to retry goes to the announced leader now.
                Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            };
            _ = leaderWatch.RunAsync(token);
        }

        var delay = options.ReconnectDelay;
        var next = 0;
        string? redirect = null;
        var redirects = 0;
        LeaderAnnouncement? triedAnnouncement = null;
        while (!token.IsCancellationRequested)
        {
            // A follower's redirect first, then etcd's announcement (once per announcement), then the configured list.
            var announced = leaderWatch?.Current;
            string host;
            if (redirect is not null)
            {
                host = redirect;
            }
            else if (announced is not null && !ReferenceEquals(announced, triedAnnouncement))
            {
                host = announced.AgentsUrl;
                triedAnnouncement = announced;
            }
            else
            {
                host = options.Hosts[next];
            }

            redirect = null;
            var outcome = ConnectOutcome.Failed;
            try
            {
                outcome = await ConnectAsync(host, h => connectedTo = h, token);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.PermissionDenied)
            {
                LogRefused(host, e.Status.Detail);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
            {
                outcome = ConnectOutcome.NotLeader;
                redirect = e.Trailers.GetValue(AgentRedirect.LeaderTrailer) is { Length: > 0 } leader && !SameHost(leader, host) ? leader : null;
                LogNotLeader(host, e.Status.Detail);
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                LogConnectFailed(host, e is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : e.Message);
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                break;
            }
            finally
            {
                connectedTo = null;
            }

            if (outcome is ConnectOutcome.Ended { Redirect: { } leaderUrl })
            {
                redirect = leaderUrl;
            }

            // After a served stream ends (the leader died or stepped down) the next try is immediate, and so is
            // following a redirect (a few in a row at most): failover time is scheduling time. Refusals and failures
            // move to the next host and back off, doubling up to MaxReconnectDelay.
            TimeSpan wait;
            redirects = redirect is null ? 0 : redirects + 1;
            if (outcome is ConnectOutcome.Ended || (redirect is not null && redirects <= 3))
            {
                delay = options.ReconnectDelay;
                wait = TimeSpan.Zero;
            }
            else
            {
                next = (next + 1) % options.Hosts.Count;
                wait = delay;
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxReconnectDelay.Ticks));
            }

            if (wait > TimeSpan.Zero)
            {
                LogReconnecting(wait.TotalSeconds);
                await Task.WhenAny(Task.Delay(wait, token), Volatile.Read(ref _wake).Task);
            }
        }
    }

    private void CancelAttempt()
    {
        try
        {
            _attempt?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // That connection just ended on its own.
        }
    }

    private static bool SameHost(string a, string b) =>
        string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    /// <summary>How one connection attempt ended.</summary>
    private abstract record ConnectOutcome
    {
        public static readonly ConnectOutcome Failed = new FailedOutcome();

        public static readonly ConnectOutcome NotLeader = new NotLeaderOutcome();

        /// <summary>The host served the agent, then the stream ended; <paramref name="Redirect"/> names the new leader if the host said.</summary>
        public sealed record Ended(string? Redirect) : ConnectOutcome;

        private sealed record FailedOutcome : ConnectOutcome;

        private sealed record NotLeaderOutcome : ConnectOutcome;
    }

    /// <summary>One connection, from Hello to the stream's end.</summary>
    private async Task<ConnectOutcome> ConnectAsync(string host, Action<string> connected, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(host, new GrpcChannelOptions
        {
            // Plain http:// means HTTP/2 with prior knowledge (h2c); pings notice a host that vanished without a FIN
            // (a dead machine, a cut cable, a frozen process) within a few seconds.
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(5),
                KeepAlivePingDelay = options.KeepAlivePingDelay,
                KeepAlivePingTimeout = options.KeepAlivePingTimeout,
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
                EnableMultipleHttp2Connections = true,
            },
            DisposeHttpClient = true,
        });
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _attempt = attempt;
        using var call = new AgentService.AgentServiceClient(channel).Connect(cancellationToken: attempt.Token);
        await call.RequestStream.WriteAsync(new AgentEnvelope { Hello = BuildHello(host) }, attempt.Token);
        if (!await call.ResponseStream.MoveNext(attempt.Token) || call.ResponseStream.Current.BodyCase != HostEnvelope.BodyOneofCase.Welcome)
        {
            throw new IOException("the host ended the stream without a Welcome");
        }

        var welcome = call.ResponseStream.Current.Welcome;
        foreach (var rejected in welcome.Rejected)
        {
            LogProjectRejected(rejected.ProjectId, rejected.Reason);
        }

        LogConnected(host, string.Join(",", welcome.AcceptedProjectIds));
        connected(host);

        // From here on the outbox is the stream's only writer.
        var drain = outbox.DrainAsync((message, ct) => call.RequestStream.WriteAsync(WireMapping.ToWire(message), ct), attempt.Token);
        var read = ReadAsync(call.ResponseStream, attempt.Token);
        var ended = await Task.WhenAny(drain, read);
        _attempt = null;
        await attempt.CancelAsync();
        await Task.WhenAll(drain, read).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var failure = ended.Exception?.InnerException;
        if (!cancellationToken.IsCancellationRequested)
        {
            LogDisconnected(host, failure is RpcException rpc
                ? $"{rpc.StatusCode}: {rpc.Status.Detail}"
                : failure?.Message ?? "the host closed the stream");
        }

        return new ConnectOutcome.Ended(failure is RpcException { StatusCode: StatusCode.FailedPrecondition } moved
            && moved.Trailers.GetValue(AgentRedirect.LeaderTrailer) is { Length: > 0 } leader && !SameHost(leader, host) ? leader : null);
    }

    private async Task ReadAsync(IAsyncStreamReader<HostEnvelope> stream, CancellationToken cancellationToken)
    {
        while (await stream.MoveNext(cancellationToken))
        {
            var envelope = stream.Current;
            if (envelope.BodyCase == HostEnvelope.BodyOneofCase.Acknowledge)
            {
                outbox.Acknowledge(envelope.Acknowledge.RunId);
            }
            else if (WireMapping.FromWire(envelope) is { } message)
            {
                await runtime.HandleAsync(message, cancellationToken);
            }
        }
    }

    private Hello BuildHello(string host)
    {
        var hello = new Hello
        {
            AgentId = _agentId,
            Name = options.Name,
            Version = _version,
            Address = Environment.MachineName,
            Weight = options.Weight,
        };
        hello.Labels.Add(options.Labels);
        hello.Executors.AddRange(catalog.Kinds);
        hello.Projects.AddRange(options.Projects.Select(p => new Protocol.Grpc.ProjectCredential { ProjectId = p.ProjectId, Token = p.Token }));

        // A finished run whose result is not acknowledged yet is still held: the host must not record it lost.
        hello.HeldRunIds.AddRange(runtime.ActiveRunIds.Union(outbox.PendingRunIds));
        LogGreeting(host, hello.HeldRunIds.Count);
        return hello;
    }

    private async Task RunPresenceAsync(IAgentPresence presence, CancellationToken cancellationToken)
    {
        // A live view, not a copy: each heartbeat publishes the kinds as they are then, hot-loaded plugins included.
        var info = new AgentPresenceInfo(_agentId, options.Name, Environment.MachineName, _version, options.Labels, options.Weight,
            new LiveKinds(catalog), [.. options.Projects.Select(p => p.ProjectId)]);
        try
        {
            await presence.RunAsync(info, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogPresenceFailed(e);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Connecting to {Host}, holding {Held} runs")]
    private partial void LogGreeting(string host, int held);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Connected to {Host}; serving projects {Projects}")]
    private partial void LogConnected(string host, string projects);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "project {ProjectId}: {Reason}")]
    private partial void LogProjectRejected(long projectId, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Host {Host} refused this agent: {Reason}")]
    private partial void LogRefused(string host, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Could not connect to {Host}: {Reason}")]
    private partial void LogConnectFailed(string host, string reason);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Disconnected from {Host}: {Reason}")]
    private partial void LogDisconnected(string host, string reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Reconnecting in {Seconds} s")]
    private partial void LogReconnecting(double seconds);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Stopped with {Count} run results not acknowledged by a host")]
    private partial void LogResultsUnacknowledged(int count);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Error, Message = "The agent presence registration failed")]
    private partial void LogPresenceFailed(Exception exception);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Host {Host} does not lead: {Reason}")]
    private partial void LogNotLeader(string host, string reason);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "Leaving {Host}: the leader of term {Term} is at {Leader}")]
    private partial void LogLeaderMoved(string host, string leader, long term);

    [LoggerMessage(EventId = 2090, Level = LogLevel.Information, Message = "Executor plugins changed (now {Executors}); reconnecting to tell the host")]
    private partial void LogRegreeting(string executors);
}

/// <summary>The catalog's executor kinds, read afresh on every enumeration.</summary>
internal sealed class LiveKinds(GopherCron.Agent.Plugins.ExecutorCatalog catalog) : IReadOnlyCollection<string>
{
    public int Count => catalog.Kinds.Count;

    public IEnumerator<string> GetEnumerator() => catalog.Kinds.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
