using System.Security.Cryptography;
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
            try
            {
                _attempt?.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // That connection just ended on its own; the next one greets with the new kinds anyway.
            }
        };

        var delay = options.ReconnectDelay;
        var next = 0;
        while (!token.IsCancellationRequested)
        {
            var host = options.Hosts[next];
            var welcomed = false;
            try
            {
                welcomed = await ConnectAsync(host, token);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.PermissionDenied)
            {
                LogRefused(host, e.Status.Detail);
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                LogConnectFailed(host, e is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : e.Message);
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                break;
            }

            if (welcomed)
            {
                delay = options.ReconnectDelay;
            }
            else
            {
                next = (next + 1) % options.Hosts.Count;
            }

            LogReconnecting(delay.TotalSeconds);
            await Task.Delay(delay, token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!welcomed)
            {
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxReconnectDelay.Ticks));
            }
        }
    }

    /// <summary>One connection, from Hello to the stream's end; true when the host welcomed the agent.</summary>
    private async Task<bool> ConnectAsync(string host, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(host, new GrpcChannelOptions
        {
            // Plain http:// means HTTP/2 with prior knowledge (h2c); pings notice a host that vanished without a FIN.
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(5),
                KeepAlivePingDelay = TimeSpan.FromSeconds(10),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
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

        // From here on the outbox is the stream's only writer.
        var drain = outbox.DrainAsync((message, ct) => call.RequestStream.WriteAsync(WireMapping.ToWire(message), ct), attempt.Token);
        var read = ReadAsync(call.ResponseStream, attempt.Token);
        var ended = await Task.WhenAny(drain, read);
        _attempt = null;
        await attempt.CancelAsync();
        await Task.WhenAll(drain, read).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!cancellationToken.IsCancellationRequested)
        {
            LogDisconnected(host, ended.Exception?.InnerException is RpcException rpc
                ? $"{rpc.StatusCode}: {rpc.Status.Detail}"
                : ended.Exception?.InnerException?.Message ?? "the host closed the stream");
        }

        return true;
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
