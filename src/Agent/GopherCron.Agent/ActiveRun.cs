using System.Globalization;
using GopherCron.Agent.Protocol;

namespace GopherCron.Agent;

/// <summary>One admitted run: its cancellation, why it was stopped, and a signal for when RunFinished is out.</summary>
internal sealed class ActiveRun(DispatchRun dispatch, TimeProvider time) : IDisposable
{
    private static readonly StopReason Completed = new(RunOutcome.Succeeded, string.Empty);

    private readonly CancellationTokenSource _cancel = new();
    private ITimer? _timeout;
    private StopReason? _stop;

    public DispatchRun Dispatch { get; } = dispatch;

    public long RunId => Dispatch.RunId;

    /// <summary>Fires on kill and on timeout, always after <see cref="Stop"/> says which.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>Completes once the run's RunFinished has been sent (or given up on).</summary>
    public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Why the run was stopped, or null when it ran to its end.</summary>
    public StopReason? Stop => Volatile.Read(ref _stop) is { } stop && !ReferenceEquals(stop, Completed) ? stop : null;

    /// <summary>Starts the timeout clock; a zero, negative or infinite timeout means none.</summary>
    public void StartTimeout()
    {
        var timeout = Dispatch.Spec.Timeout;
        if (timeout > TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            var text = $"timed out after {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s";
            _timeout = time.CreateTimer(_ => Cancel(new StopReason(RunOutcome.TimedOut, text)), null, timeout,
                Timeout.InfiniteTimeSpan);
        }
    }

    public void Kill(string reason) => Cancel(new StopReason(RunOutcome.Killed, reason));

    /// <summary>Marks the executor as returned, so a kill or timeout arriving now no longer changes the outcome.</summary>
    public void MarkCompleted()
    {
        Interlocked.CompareExchange(ref _stop, Completed, null);
        _timeout?.Dispose();
    }

    public void Dispose()
    {
        _timeout?.Dispose();
        _cancel.Dispose();
    }

    private void Cancel(StopReason reason)
    {
        // The first reason wins: a run killed while timing out stays timed out, and vice versa.
        if (Interlocked.CompareExchange(ref _stop, reason, null) is null)
        {
            try
            {
                _cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Raced with the run's end; nothing left to cancel.
            }
        }
    }
}

/// <summary>Why a run was stopped before it ended on its own.</summary>
internal sealed record StopReason(RunOutcome Outcome, string Error);
