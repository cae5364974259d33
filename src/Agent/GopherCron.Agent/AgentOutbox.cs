using GopherCron.Agent.Protocol;
using Microsoft.Extensions.Logging;

namespace GopherCron.Agent;

/// <summary>
/// The uplink of a remote agent: keeps what the runtime sends while the stream to the host is down and delivers it
/// in order once a connection drains it (<see cref="DrainAsync"/>).
/// </summary>
/// <remarks>
/// RunStarted and RunFinished are kept until the host acknowledges the run's RunFinished, and are sent again on every
/// new connection until then: a result never depends on one stream surviving. Output is best effort: while connected
/// a writer waits for room (the host's pace slows the executor, as before); while disconnected the oldest buffered
/// chunks are dropped beyond <see cref="MaxBufferedOutputChars"/>, counted and logged, so runs never block on a dead
/// stream and memory stays bounded.
/// </remarks>
public sealed partial class AgentOutbox : IHostLink
{
    private readonly Lock _gate = new();
    private readonly LinkedList<AgentMessage> _queue = new();
    private readonly List<AgentMessage> _unacknowledged = [];
    private readonly ILogger<AgentOutbox> _logger;
    private TaskCompletionSource _changed = NewSignal();
    private TaskCompletionSource _room = NewSignal();
    private long _bufferedOutputChars;
    private long _droppedChunks;
    private bool _connected;

    /// <summary>Creates an empty outbox.</summary>
    /// <param name="logger">Logging.</param>
    /// <param name="maxBufferedOutputChars">The most output characters kept while the stream is down.</param>
    public AgentOutbox(ILogger<AgentOutbox> logger, long maxBufferedOutputChars = 4 * 1024 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBufferedOutputChars, 1);
        _logger = logger;
        MaxBufferedOutputChars = maxBufferedOutputChars;
    }

    /// <summary>The most output characters kept while the stream is down.</summary>
    public long MaxBufferedOutputChars { get; }

    /// <summary>Runs with a RunStarted or RunFinished not yet acknowledged: part of what the agent reports as held.</summary>
    public IReadOnlyCollection<long> PendingRunIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _unacknowledged.Concat(_queue).Where(m => m is not RunOutput).Select(m => m.RunId).Distinct()];
            }
        }
    }

    /// <summary>Output chunks dropped so far because the stream was down and the buffer full.</summary>
    public long DroppedChunks => Interlocked.Read(ref _droppedChunks);

    /// <inheritdoc />
    public async ValueTask SendAsync(AgentMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        while (true)
        {
            Task room;
            lock (_gate)
            {
                if (message is not RunOutput output)
                {
                    Enqueue(message);
                    return;
                }

                if (!_connected || _bufferedOutputChars + output.Text.Length <= MaxBufferedOutputChars || _bufferedOutputChars == 0)
                {
                    Enqueue(message);
                    _bufferedOutputChars += output.Text.Length;
                    if (!_connected)
                    {
                        DropOldestOutputBeyondLimit();
                    }

                    return;
                }

                room = _room.Task;
            }

            await room.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The host recorded the run's result: forget everything kept for the run.</summary>
    /// <param name="runId">The run.</param>
    public void Acknowledge(long runId)
    {
        lock (_gate)
        {
            _unacknowledged.RemoveAll(m => m.RunId == runId);
            for (var node = _queue.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.RunId == runId && node.Value is not RunOutput)
                {
                    _queue.Remove(node);
                }

                node = next;
            }

            Signal(ref _changed);
        }
    }

    /// <summary>True when nothing is waiting for an acknowledgement or for a connection.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count == 0 && _unacknowledged.Count == 0;
            }
        }
    }

    /// <summary>Waits until every result has been acknowledged (or the token fires).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async Task WaitUntilAcknowledgedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_unacknowledged.Count == 0 && !_queue.Any(m => m is not RunOutput))
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Delivers through one connection until <paramref name="cancellationToken"/> fires or <paramref name="write"/>
    /// throws: first what the previous connection sent without an acknowledgement, then everything queued, in order.
    /// One drain at a time.
    /// </summary>
    /// <param name="write">Writes one message to the stream.</param>
    /// <param name="cancellationToken">Ends the drain (the connection is over).</param>
    public async Task DrainAsync(Func<AgentMessage, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        lock (_gate)
        {
            _connected = true;
            for (var i = _unacknowledged.Count - 1; i >= 0; i--)
            {
                _queue.AddFirst(_unacknowledged[i]);
            }

            _unacknowledged.Clear();
            var dropped = Interlocked.Exchange(ref _droppedChunks, 0);
            if (dropped > 0)
            {
                LogOutputDropped(dropped, MaxBufferedOutputChars);
            }
        }

        try
        {
            while (true)
            {
                AgentMessage? next;
                Task changed;
                lock (_gate)
                {
                    next = _queue.First?.Value;
                    changed = _changed.Task;
                    if (next is not null)
                    {
                        _queue.RemoveFirst();
                        if (next is RunOutput output)
                        {
                            _bufferedOutputChars -= output.Text.Length;
                            Signal(ref _room);
                        }
                        else
                        {
                            // Kept before the write: a write that fails may still have reached the host.
                            _unacknowledged.Add(next);
                        }
                    }
                }

                if (next is null)
                {
                    await changed.WaitAsync(cancellationToken);
                    continue;
                }

                await write(next, cancellationToken);
            }
        }
        finally
        {
            lock (_gate)
            {
                _connected = false;
                DropOldestOutputBeyondLimit();
                Signal(ref _room);
            }
        }
    }

    // Caller holds _gate.
    private void Enqueue(AgentMessage message)
    {
        _queue.AddLast(message);
        Signal(ref _changed);
    }

    // Caller holds _gate.
    private void DropOldestOutputBeyondLimit()
    {
        for (var node = _queue.First; node is not null && _bufferedOutputChars > MaxBufferedOutputChars;)
        {
            var next = node.Next;
            if (node.Value is RunOutput output)
            {
                _queue.Remove(node);
                _bufferedOutputChars -= output.Text.Length;
                Interlocked.Increment(ref _droppedChunks);
            }

            node = next;
        }
    }

    // Caller holds _gate. Wakes the current waiters; later waiters wait for the next change.
    private static void Signal(ref TaskCompletionSource signal)
    {
        var fired = signal;
        signal = NewSignal();
        fired.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Dropped {Count} output chunks while disconnected from the host (buffer of {Limit} characters full); results are kept in full")]
    private partial void LogOutputDropped(long count, long limit);
}
