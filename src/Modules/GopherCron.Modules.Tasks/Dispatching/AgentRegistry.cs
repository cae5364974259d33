using System.Security.Cryptography;
using GopherCron.Agent.Protocol;
using GopherCron.Modules.Tasks.Contracts;
using GopherCron.Modules.Tasks.Domain;

namespace GopherCron.Modules.Tasks.Dispatching;

/// <summary>A connected agent and the way to reach it.</summary>
internal sealed class AgentConnection(AgentDescriptor descriptor, Func<HostMessage, CancellationToken, ValueTask> send, DateTimeOffset connectedAt)
{
    private readonly HashSet<long> _held = [.. descriptor.HeldRunIds ?? []];
    private volatile bool _connected = true;

    private volatile AgentDescriptor _descriptor = descriptor;

    /// <summary>Who the agent is; replaced (never mutated) when its executor list changes.</summary>
    public AgentDescriptor Descriptor
    {
        get => _descriptor;
        set => _descriptor = value;
    }

    /// <summary>A remote agent survives its stream: its runs wait for it to reconnect. See <see cref="AgentDescriptor.HeldRunIds"/>.</summary>
    public bool IsRemote => Descriptor.HeldRunIds is not null;

    /// <summary>False once the stream ended, and always for an <see cref="Absent"/> stand-in: messages cannot reach the agent.</summary>
    public bool IsConnected => _connected;

    /// <summary>A stand-in for an agent that runs were handed to before this replica took office and that has not connected.</summary>
    public static AgentConnection Absent(string name, DateTimeOffset now)
    {
        var absent = new AgentConnection(
            new AgentDescriptor(name + "#absent", name, "", "", [], new Dictionary<string, string>(), 0, [], []),
            (_, _) => throw new InvalidOperationException($"agent {name} is not connected"),
            now);
        absent.MarkDisconnected();
        return absent;
    }

    /// <summary>Whether the agent said in its greeting that it holds the run.</summary>
    public bool HeldAtConnect(long runId) => _held.Contains(runId);

    public void MarkDisconnected() => _connected = false;

    public string Id => Descriptor.Id;

    public string Name => Descriptor.Name;

    public DateTimeOffset ConnectedAt { get; } = connectedAt;

    /// <summary>When the agent last said anything (a report, a heartbeat).</summary>
    public DateTimeOffset LastSeenAt { get; set; } = connectedAt;

    /// <summary>The weight set through the API, which overrides the agent's own; null when none is set.</summary>
    public int? WeightOverride { get; set; }

    public int Weight => WeightOverride ?? Descriptor.Weight;

    public ValueTask SendAsync(HostMessage message, CancellationToken cancellationToken) => send(message, cancellationToken);

    public bool CanRun(CronTask task) =>
        Weight > 0
        && Descriptor.Executors.Contains(task.Executor, StringComparer.OrdinalIgnoreCase)
        && (Descriptor.ProjectIds is null || Descriptor.ProjectIds.Contains(task.ProjectId))
        && AgentLabels.Satisfies(Descriptor.Labels, task.RequiredLabels);
}

/// <summary>The agents connected to this replica.</summary>
internal sealed class AgentRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AgentConnection> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _weights = new(StringComparer.Ordinal);
    private TaskCompletionSource _firstAgent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<AgentConnection> All
    {
        get
        {
            lock (_gate)
            {
                return _agents.Values.ToList();
            }
        }
    }

    public void Add(AgentConnection agent)
    {
        lock (_gate)
        {
            agent.WeightOverride = _weights.TryGetValue(agent.Name, out var weight) ? weight : null;
            _agents[agent.Id] = agent;
            _firstAgent.TrySetResult();
        }
    }

    public void Remove(AgentConnection agent)
    {
        lock (_gate)
        {
            if (_agents.TryGetValue(agent.Id, out var current) && ReferenceEquals(current, agent))
            {
                _agents.Remove(agent.Id);
                if (_agents.Count == 0)
                {
                    _firstAgent = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }
    }

    /// <summary>Applies weights set through the API, by agent name, to connected agents and to those that connect later.</summary>
    public void SetWeights(IEnumerable<KeyValuePair<string, int>> weights)
    {
        lock (_gate)
        {
            foreach (var (name, weight) in weights)
            {
                _weights[name] = weight;
                foreach (var agent in _agents.Values.Where(a => a.Name == name))
                {
                    agent.WeightOverride = weight;
                }
            }
        }
    }

    public int? WeightOf(string agentName)
    {
        lock (_gate)
        {
            return _weights.TryGetValue(agentName, out var weight) ? weight : null;
        }
    }

    /// <summary>Waits until at least one agent is connected, or the grace period passes.</summary>
    public async Task WaitForAnyAsync(TimeSpan grace, TimeProvider clock, CancellationToken cancellationToken)
    {
        Task first;
        lock (_gate)
        {
            first = _firstAgent.Task;
        }

        if (!first.IsCompleted && grace > TimeSpan.Zero)
        {
            await first.WaitAsync(grace, clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public AgentConnection? Named(string name)
    {
        lock (_gate)
        {
            return _agents.Values.Where(a => a.Name == name).MaxBy(a => a.ConnectedAt);
        }
    }

    public IReadOnlyList<AgentConnection> EligibleFor(CronTask task)
    {
        lock (_gate)
        {
            return _agents.Values.Where(a => a.CanRun(task)).OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Picks one agent with probability proportional to its weight.</summary>
    public static AgentConnection Choose(IReadOnlyList<AgentConnection> eligible)
    {
        if (eligible.Count == 1)
        {
            return eligible[0];
        }

        var total = eligible.Sum(a => a.Weight);
        var pick = RandomNumberGenerator.GetInt32(total);
        foreach (var agent in eligible)
        {
            pick -= agent.Weight;
            if (pick < 0)
            {
                return agent;
            }
        }

        return eligible[^1];
    }
}
