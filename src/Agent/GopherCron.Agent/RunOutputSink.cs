using System.Text;
using GopherCron.Agent.Protocol;
using GopherCron.Plugins.Abstractions;
using Microsoft.Extensions.Logging;

namespace GopherCron.Agent;

/// <summary>
/// Batches one run's output into <see cref="RunOutput"/> messages: sent when a chunk's worth is buffered or a short
/// delay after the first unsent character, whichever comes first.
/// </summary>
/// <remarks>
/// Memory stays bounded by about one chunk plus one write: a writer that fills a chunk waits until the uplink has
/// taken it, so a slow host slows the executor (for a process: a full pipe) instead of growing a buffer. Uplink
/// failures are logged and the chunk dropped; they never fail the run, whose result matters more than its output.
/// </remarks>
internal sealed class RunOutputSink(
    long runId,
    IHostLink link,
    AgentOptions options,
    TimeProvider time,
    ILogger logger,
    CancellationToken abort) : IExecutionOutput
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly StringBuilder _pending = new();
    private ITimer? _flushTimer;
    private long _sequence;
    private bool _completed;

    public async ValueTask WriteAsync(ReadOnlyMemory<char> text, CancellationToken cancellationToken)
    {
        if (text.IsEmpty)
        {
            return;
        }

        bool full;
        lock (_gate)
        {
            if (_completed)
            {
                // The executor returned already and RunFinished may be out: late text cannot be delivered in order.
                return;
            }

            _pending.Append(text.Span);
            full = _pending.Length >= options.OutputChunkSize;
            _flushTimer ??= full
                ? null
                : time.CreateTimer(static state => ((RunOutputSink)state!).FlushInBackground(), this,
                    options.OutputFlushDelay, Timeout.InfiniteTimeSpan);
        }

        if (full)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>Sends what is left and refuses further writes; after it returns, every accepted character is sent.</summary>
    public async Task CompleteAsync()
    {
        lock (_gate)
        {
            _completed = true;
        }

        await FlushAsync(CancellationToken.None);
    }

    private void FlushInBackground() => _ = FlushAsync(CancellationToken.None);

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, abort);
        try
        {
            await _sending.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            while (TakeChunk() is { } chunk)
            {
                var message = new RunOutput(runId, ++_sequence, chunk);
                try
                {
                    await link.SendAsync(message, linked.Token);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Log.OutputDropped(logger, e, runId, message.Sequence, chunk.Length);
                }
            }
        }
        finally
        {
            _sending.Release();
        }
    }

    private string? TakeChunk()
    {
        lock (_gate)
        {
            if (_pending.Length == 0)
            {
                // Nothing unsent: the next write starts a new flush delay.
                _flushTimer?.Dispose();
                _flushTimer = null;
                return null;
            }

            var length = Math.Min(_pending.Length, options.OutputChunkSize);
            if (length < _pending.Length && char.IsHighSurrogate(_pending[length - 1]))
            {
                length--; // never split a surrogate pair across two messages
            }

            var chunk = _pending.ToString(0, length);
            _pending.Remove(0, length);
            return chunk;
        }
    }
}
