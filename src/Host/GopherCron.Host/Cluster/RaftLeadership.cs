using System.Diagnostics.Metrics;
using System.Net;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.Membership;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using GopherCron.Modules.Shared.Cluster;
using Microsoft.Extensions.Options;

namespace GopherCron.Host.Cluster;

/// <summary>Settings of the Raft cluster that host replicas form to elect the scheduling leader.</summary>
internal sealed class ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>This replica's Raft endpoint, <c>host:port</c>; it must be one of <see cref="Members"/>.</summary>
    public string Listen { get; set; } = "";

    /// <summary>Every replica's Raft endpoint (static membership, the same list on every replica).</summary>
    public List<string> Members { get; set; } = [];

    /// <summary>Where this replica keeps its Raft log (the term and vote survive restarts).</summary>
    public string DataPath { get; set; } = "data/raft";

    public TimeSpan LowerElectionTimeout { get; set; } = TimeSpan.FromMilliseconds(150);

    public TimeSpan UpperElectionTimeout { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>The HTTP API URL other replicas forward to; by default the first URL the server binds.</summary>
    public string? ApiUrl { get; set; }

    /// <summary>The gRPC URL agents are redirected to; by default the URL of <c>Agents:GrpcPort</c>.</summary>
    public string? AgentsUrl { get; set; }

    public bool Enabled => Members.Count > 0;
}

/// <summary>
/// Scheduling leadership elected by Raft among the host replicas (DotNext). A lease's token is the cluster's leadership
/// token, cancelled the moment this replica stops leading; its term is the Raft term, which agents use to refuse a
/// deposed leader's dispatches.
/// </summary>
internal sealed partial class RaftLeadership : ILeadership, IHostedService, IAsyncDisposable
{
    private readonly IOptions<ClusterOptions> _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<RaftLeadership> _logger;
    private readonly Counter<long> _leaderChanges;
    private readonly Counter<long> _elections;
    private WriteAheadLog? _log;
    private RaftCluster? _cluster;
    private long _lastTerm;

    public RaftLeadership(IOptions<ClusterOptions> options, ILoggerFactory loggers, IMeterFactory meters)
    {
        _options = options;
        _loggers = loggers;
        _logger = loggers.CreateLogger<RaftLeadership>();
        var meter = meters.Create("GopherCron.Cluster");
        _leaderChanges = meter.CreateCounter<long>("gophercron.cluster.leader_changes", "{change}",
            "Times this replica saw the leader change (including to no leader).");
        _elections = meter.CreateCounter<long>("gophercron.cluster.elections", "{term}",
            "Raft terms this replica saw begin: each term starts with an election.");
        meter.CreateObservableGauge("gophercron.cluster.term", () => Term, "{term}", "The current Raft term.");
        meter.CreateObservableGauge("gophercron.cluster.is_leader", () => Role == ClusterRole.Leader ? 1 : 0, null,
            "1 while this replica leads scheduling, else 0.");
        meter.CreateObservableGauge("gophercron.cluster.has_leader", () => _cluster?.Leader is null ? 0 : 1, null,
            "1 while this replica knows a leader (0: no quorum or an election in progress).");
    }

    public ClusterRole Role => _cluster switch
    {
        null => ClusterRole.Candidate,
        { Leader: null } => ClusterRole.Candidate,
        { Leader.IsRemote: false } => ClusterRole.Leader,
        _ => ClusterRole.Follower,
    };

    /// <summary>The Raft endpoint of the current leader, if one is known.</summary>
    public EndPoint? Leader => _cluster?.Leader?.EndPoint;

    public string? LeaderReplica => Leader?.ToString();

    public long Term => _log is IPersistentState state ? state.Term : 0;

    public async ValueTask<LeadershipLease> WaitForLeadershipAsync(CancellationToken cancellationToken)
    {
        var cluster = _cluster ?? throw new InvalidOperationException("The Raft cluster has not started.");
        var token = await cluster.WaitForLeadershipAsync(cancellationToken);
        return new LeadershipLease(Term, token);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = _options.Value;
        var config = new RaftCluster.TcpConfiguration(Parse(settings.Listen))
        {
            // Static membership: every replica lists all of them, so none bootstraps a cluster of its own.
            ColdStart = false,
            LowerElectionTimeout = (int)settings.LowerElectionTimeout.TotalMilliseconds,
            UpperElectionTimeout = (int)settings.UpperElectionTimeout.TotalMilliseconds,
            RequestTimeout = settings.LowerElectionTimeout - TimeSpan.FromMilliseconds(10),
            LoggerFactory = _loggers,

            // Null asks DotNext for its in-memory membership store, filled below from the static member list.
            ConfigurationStorage = null!,
        };
        var members = ((InMemoryClusterConfigurationStorage<EndPoint>)config.ConfigurationStorage!).CreateInitialConfigurationBuilder();
        foreach (var member in settings.Members)
        {
            members.Add(Parse(member));
        }

        members.Build();

        // The scheduler keeps no state in Raft (the database holds it): the log only carries terms and votes.
        _log = new WriteAheadLog(new WriteAheadLog.Options { Location = Path.GetFullPath(settings.DataPath) }, IStateMachine.CreateNoOp());
        await _log.InitializeAsync(cancellationToken);
        _cluster = new RaftCluster(config) { AuditTrail = _log };
        _lastTerm = Term;
        _cluster.LeaderChanged += OnLeaderChanged;
        await _cluster.StartAsync(cancellationToken);
    }

    public CancellationToken LeadershipToken => _cluster?.LeadershipToken ?? new CancellationToken(canceled: true);

    /// <summary>Every member as this replica sees it: endpoint, whether it leads, and whether it answers.</summary>
    public IReadOnlyList<(string EndPoint, bool IsLeader, bool IsSelf, string Status)> Members =>
        _cluster is null
            ? []
            : [.. _cluster.Members.Select(m => (
                m.EndPoint.ToString() ?? "",
                m.IsLeader,
                !m.IsRemote,
                m.IsRemote ? m.Status.ToString().ToLowerInvariant() : "available"))];

    private void OnLeaderChanged(DotNext.Net.Cluster.ICluster cluster, DotNext.Net.Cluster.IClusterMember? leader)
    {
        _leaderChanges.Add(1);
        var term = Term;
        var previous = Interlocked.Exchange(ref _lastTerm, term);
        if (term > previous)
        {
            _elections.Add(term - previous);
        }

        LogLeaderChanged(leader?.EndPoint?.ToString() ?? "none", term);
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Raft leader is now {Leader} (term {Term})")]
    private partial void LogLeaderChanged(string leader, long term);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_cluster is not null)
        {
            await _cluster.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _cluster?.Dispose();
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }
    }

    private static IPEndPoint Parse(string endpoint) =>
        IPEndPoint.TryParse(endpoint, out var parsed) ? parsed
        : throw new OptionsValidationException(ClusterOptions.Section, typeof(ClusterOptions),
            [$"'{endpoint}' is not an ip:port endpoint (Cluster:Listen and Cluster:Members take addresses, for example 10.0.0.5:7306)."]);
}
