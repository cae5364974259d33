using System.Collections.Concurrent;
using GopherCron.Agent.Protocol;

namespace GopherCron.Testing;

/// <summary>An uplink that records every message, optionally slowly, and lets tests await a run's end.</summary>
public sealed class RecordingHostLink : IHostLink
{
    private readonly Lock _gate = new();
    private readonly List<AgentMessage> _messages = [];
    private readonly ConcurrentDictionary<long, TaskCompletionSource<RunFinished>> _finished = new();

    /// <summary>Each send takes this long: a slow host, to exercise backpressure.</summary>
    public TimeSpan SendDelay { get; init; }

    public async ValueTask SendAsync(AgentMessage message, CancellationToken cancellationToken)
    {
        if (SendDelay > TimeSpan.Zero)
        {
            await Task.Delay(SendDelay, cancellationToken);
        }

        lock (_gate)
        {
            _messages.Add(message);
        }

        if (message is RunFinished finished)
        {
            Completion(finished.RunId).TrySetResult(finished);
        }
    }

    public IReadOnlyList<AgentMessage> For(long runId)
    {
        lock (_gate)
        {
            return [.. _messages.Where(m => m.RunId == runId)];
        }
    }

    public string Output(long runId) => string.Concat(For(runId).OfType<RunOutput>().Select(o => o.Text));

    public Task<RunFinished> FinishedAsync(long runId, int seconds = 60) =>
        Completion(runId).Task.WaitAsync(TimeSpan.FromSeconds(seconds));

    public bool HasFinished(long runId) => Completion(runId).Task.IsCompleted;

    public async Task WaitForOutputAsync(long runId, string text, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!Output(runId).Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"run {runId} did not write '{text}'; output so far: '{Output(runId)}'");
            }

            await Task.Delay(20);
        }
    }

    private TaskCompletionSource<RunFinished> Completion(long runId) =>
        _finished.GetOrAdd(runId, _ => new TaskCompletionSource<RunFinished>(TaskCreationOptions.RunContinuationsAsynchronously));
}
