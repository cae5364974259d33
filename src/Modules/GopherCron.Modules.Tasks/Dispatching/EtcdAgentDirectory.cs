using System.Collections.Concurrent;
using dotnet_etcd;
using Etcdserverpb;
using GopherCron.Agent.Protocol;
using Google.Protobuf;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mvccpb;

namespace GopherCron.Modules.Tasks.Dispatching;

public sealed class EtcdOptions
{
    public const string Section = "Etcd";

    /// <summary>Comma-separated etcd endpoints; empty (the embedded default) means no etcd.</summary>
    public string Endpoints { get; set; } = "";
}

/// <summary>
/// The cluster-wide view of agents, from etcd: a snapshot of the agent records, then a watch from the snapshot's
/// revision, so every registration, heartbeat and lease expiry arrives as an event (no polling of the registry).
/// When etcd is unreachable the last view is kept (agents and their runs are unaffected) and, once etcd answers
/// again, a fresh snapshot replaces it and reports the agents that vanished in between.
/// </summary>
internal sealed partial class EtcdAgentDirectory(IOptions<EtcdOptions> options, TimeProvider clock, ILogger<EtcdAgentDirectory> logger)
    : BackgroundService
{
    private static readonly TimeSpan HealthEvery = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<string, AgentPresenceRecord> _agents = new(StringComparer.Ordinal);

    /// <summary>Raised when an agent's record disappears: its lease expired (it died) or it stopped cleanly.</summary>
    public event Action<AgentPresenceRecord>? Vanished;

    public IReadOnlyCollection<AgentPresenceRecord> Agents => _agents.Values.ToList();

    public bool TryGet(string agentId, out AgentPresenceRecord? record) => _agents.TryGetValue(agentId, out record);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            using var client = new EtcdClient(options.Value.Endpoints);
            using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            try
            {
                var snapshot = await client.GetRangeAsync(AgentPresenceKeys.Prefix, cancellationToken: session.Token);
                Replace(snapshot.Kvs.Select(kv => AgentPresenceRecord.FromJson(kv.Value.ToStringUtf8())).OfType<AgentPresenceRecord>());
                LogSynced(_agents.Count, snapshot.Header.Revision);
                retry = TimeSpan.FromSeconds(1);

                // Completes once the watch is registered; events then arrive on the callback until the client goes.
                await client.WatchAsync(new WatchRequest
                {
                    CreateRequest = new WatchCreateRequest
                    {
                        Key = ByteString.CopyFromUtf8(AgentPresenceKeys.Prefix),
                        RangeEnd = ByteString.CopyFromUtf8(EtcdClient.GetRangeEnd(AgentPresenceKeys.Prefix)),
                        StartRevision = snapshot.Header.Revision + 1,
                        PrevKv = true,
                    },
                }, (WatchResponse response) => Apply(response), cancellationToken: session.Token);

                // The watch stream does not report a dead server by itself; a cheap status call does, and then a fresh
                // snapshot and watch replace this one.
                while (!session.IsCancellationRequested)
                {
                    await Task.Delay(HealthEvery, clock, session.Token);
                    using var probe = CancellationTokenSource.CreateLinkedTokenSource(session.Token);
                    probe.CancelAfter(HealthEvery);
                    await client.StatusAsync(new StatusRequest(), cancellationToken: probe.Token);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogUnreachable(e, options.Value.Endpoints, retry.TotalSeconds);
                await session.CancelAsync();
                await Task.Delay(retry, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                retry = TimeSpan.FromSeconds(Math.Min(5, retry.TotalSeconds * 2));
            }
        }
    }

    private void Replace(IEnumerable<AgentPresenceRecord> records)
    {
        var current = records.ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var (id, record) in _agents)
        {
            if (!current.ContainsKey(id) && _agents.TryRemove(id, out _))
            {
                OnVanished(record);
            }
        }

        foreach (var (id, record) in current)
        {
            _agents[id] = record;
        }
    }

    private void Apply(WatchResponse response)
    {
        foreach (var change in response.Events)
        {
            var key = change.Kv.Key.ToStringUtf8();
            var id = key[AgentPresenceKeys.Prefix.Length..];
            if (change.Type == Event.Types.EventType.Put)
            {
                if (AgentPresenceRecord.FromJson(change.Kv.Value.ToStringUtf8()) is { } record)
                {
                    if (_agents.TryAdd(id, record))
                    {
                        LogAppeared(record.Name, record.Address);
                    }
                    else
                    {
                        _agents[id] = record;
                    }
                }
            }
            else if (_agents.TryRemove(id, out var gone))
            {
                OnVanished(gone);
            }
        }
    }

    private void OnVanished(AgentPresenceRecord record)
    {
        LogVanished(record.Name, record.Id);
        try
        {
            Vanished?.Invoke(record);
        }
        catch (Exception e)
        {
            LogHandlerFailed(e, record.Name);
        }
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "Agent registry synced from etcd: {Count} agents at revision {Revision}")]
    private partial void LogSynced(int count, long revision);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Warning, Message = "etcd at {Endpoints} is unreachable; keeping the last view of agents, retrying in {Seconds} s")]
    private partial void LogUnreachable(Exception exception, string endpoints, double seconds);

    [LoggerMessage(EventId = 3303, Level = LogLevel.Information, Message = "Agent {Agent} at {Address} registered in etcd")]
    private partial void LogAppeared(string agent, string address);

    [LoggerMessage(EventId = 3304, Level = LogLevel.Information, Message = "Agent {Agent} ({AgentId}) left etcd (lease expired or revoked)")]
    private partial void LogVanished(string agent, string agentId);

    [LoggerMessage(EventId = 3305, Level = LogLevel.Error, Message = "Handling the departure of agent {Agent} failed")]
    private partial void LogHandlerFailed(Exception exception, string agent);
}
