using System.Threading.Channels;
using GopherCron.Agent.Protocol;
using GopherCron.Agent.Protocol.Grpc;
using GopherCron.Modules.Logs.Contracts;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Shared.Cluster;
using GopherCron.Modules.Tasks.Contracts;
using Grpc.Core;
using RunFinished = GopherCron.Agent.Protocol.RunFinished;

namespace GopherCron.Host.Agents;

/// <summary>
/// The network twin of <see cref="EmbeddedAgent"/>: one gRPC stream per remote agent. The agent's Hello is checked
/// project by project against the project tokens; the agent then attaches to the scheduler like the embedded one,
/// limited to the accepted projects.
/// </summary>
/// <remarks>
/// gRPC streams take one writer at a time, so everything bound for the agent goes through one channel and one pump.
/// A RunFinished is acknowledged once the run ledger has committed it: only then may the agent forget the result.
/// </remarks>
internal sealed partial class AgentStreamService(
    IAgentGateway gateway,
    IProjectTokens tokens,
    IRunLedger ledger,
    ILeadership leadership,
    LeadershipFence fence,
    ILogger<AgentStreamService> logger) : AgentService.AgentServiceBase
{
    public const string TokenRejected = "token rejected by host — check the project token";

    public override async Task Connect(IAsyncStreamReader<AgentEnvelope> requestStream, IServerStreamWriter<HostEnvelope> responseStream, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        if (!await requestStream.MoveNext(cancellationToken) || requestStream.Current.BodyCase != AgentEnvelope.BodyOneofCase.Hello)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "the first message on the stream must be a Hello"));
        }

        var hello = requestStream.Current.Hello;

        // Agents serve the scheduling leader only: a follower turns them away and says where the leader is.
        var leads = leadership.LeadershipToken;
        if (leads.IsCancellationRequested)
        {
            throw await NotLeaderAsync(hello.Name, context.Peer, cancellationToken);
        }

        var welcome = await AuthenticateAsync(hello, cancellationToken);
        if (welcome.AcceptedProjectIds.Count == 0)
        {
            var detail = hello.Projects.Count == 0
                ? "the agent presented no project credentials (configure Agent:Projects)"
                : string.Join("; ", welcome.Rejected.Select(r => $"project {r.ProjectId}: {r.Reason}"));
            LogRefused(hello.Name, context.Peer, detail);
            throw new RpcException(new Status(StatusCode.PermissionDenied, detail));
        }

        foreach (var rejected in welcome.Rejected)
        {
            LogProjectRejected(hello.Name, rejected.ProjectId, rejected.Reason);
        }

        var outgoing = Channel.CreateUnbounded<HostEnvelope>(new UnboundedChannelOptions { SingleReader = true });
        outgoing.Writer.TryWrite(new HostEnvelope { Welcome = welcome });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = PumpAsync(outgoing.Reader, responseStream, stop.Token);

        // When this replica stops leading, the stream ends so the agent goes to find the new leader at once.
        using var deposed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, leads);
        var reading = deposed.Token;

        var descriptor = new AgentDescriptor(
            Id: hello.AgentId,
            Name: hello.Name,
            Address: hello.Address.Length > 0 ? hello.Address : context.Peer,
            Version: hello.Version,
            Executors: [.. hello.Executors],
            Labels: hello.Labels.ToDictionary(StringComparer.Ordinal),
            Weight: Math.Clamp(hello.Weight, 0, 100),
            ProjectIds: [.. welcome.AcceptedProjectIds],
            HeldRunIds: [.. hello.HeldRunIds]);
        var session = gateway.Connect(descriptor, (message, _) => outgoing.Writer.TryWrite(WireMapping.ToWire(message))
            ? ValueTask.CompletedTask
            : throw new InvalidOperationException($"the stream to agent {hello.Name} has closed"));
        try
        {
            while (await requestStream.MoveNext(reading))
            {
                if (WireMapping.FromWire(requestStream.Current) is not { } message)
                {
                    continue;
                }

                await session.ReceiveAsync(message, reading);
                if (message is RunFinished finished)
                {
                    _ = AcknowledgeWhenRecordedAsync(finished.RunId, outgoing.Writer, stop.Token);
                }
            }
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or IOException or RpcException)
        {
            // The agent went away (or the host is stopping); the session's end says what happens to its runs.
        }
        catch (OperationCanceledException) when (leads.IsCancellationRequested)
        {
            LogDeposedClosing(hello.Name);
        }
        finally
        {
            outgoing.Writer.TryComplete();
            await session.DisposeAsync();
            await stop.CancelAsync();
            await pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (leads.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw await NotLeaderAsync(hello.Name, context.Peer, CancellationToken.None);
        }
    }

    /// <summary>The refusal of a replica that does not lead, with the leader's agent URL when it is known.</summary>
    private async Task<RpcException> NotLeaderAsync(string agent, string peer, CancellationToken cancellationToken)
    {
        var trailers = new Metadata();
        string detail;
        LeaderRecord? office = null;
        try
        {
            office = await fence.ReadAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The store is unreachable: the agent tries the other replicas it knows.
        }

        // The published office counts only while that replica still leads; just after an election it may be stale.
        var leader = leadership.Role == ClusterRole.Leader ? null : leadership.LeaderReplica;
        if (office is { AgentsUrl.Length: > 0 } && leader is not null && office.Replica == leader)
        {
            trailers.Add(AgentRedirect.LeaderTrailer, office.AgentsUrl);
            detail = $"this replica does not lead scheduling; the leader is {office.Replica} (agents: {office.AgentsUrl})";
        }
        else
        {
            detail = leader is null
                ? "this replica does not lead scheduling and no leader is known right now (election in progress or no quorum)"
                : $"this replica does not lead scheduling; the leader is {leader} but has not published its agent address yet";
        }

        LogNotLeader(agent, peer, detail);
        return new RpcException(new Status(StatusCode.FailedPrecondition, detail), trailers);
    }

    private async Task<Welcome> AuthenticateAsync(Hello hello, CancellationToken cancellationToken)
    {
        var welcome = new Welcome();
        foreach (var credential in hello.Projects.DistinctBy(p => p.ProjectId))
        {
            if (await tokens.ValidateAsync(credential.ProjectId, credential.Token, cancellationToken))
            {
                welcome.AcceptedProjectIds.Add(credential.ProjectId);
            }
            else
            {
                welcome.Rejected.Add(new Rejected { ProjectId = credential.ProjectId, Reason = TokenRejected });
            }
        }

        return welcome;
    }

    private async Task AcknowledgeWhenRecordedAsync(long runId, ChannelWriter<HostEnvelope> outgoing, CancellationToken cancellationToken)
    {
        try
        {
            await ledger.FlushAsync(cancellationToken);
            outgoing.TryWrite(new HostEnvelope { Acknowledge = new Acknowledge { RunId = runId } });
        }
        catch (OperationCanceledException)
        {
            // The stream ended first: the agent re-sends the result on its next connection.
        }
    }

    private static async Task PumpAsync(ChannelReader<HostEnvelope> outgoing, IServerStreamWriter<HostEnvelope> stream, CancellationToken cancellationToken)
    {
        await foreach (var envelope in outgoing.ReadAllAsync(cancellationToken))
        {
            await stream.WriteAsync(envelope, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Turned agent {Agent} from {Peer} away: {Reason}")]
    private partial void LogNotLeader(string agent, string peer, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "This replica no longer leads: closing the stream of agent {Agent}")]
    private partial void LogDeposedClosing(string agent);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Refused agent {Agent} from {Peer}: {Reason}")]
    private partial void LogRefused(string agent, string peer, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Agent {Agent} may not serve project {ProjectId}: {Reason}")]
    private partial void LogProjectRejected(string agent, long projectId, string reason);
}
