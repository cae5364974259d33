using System.Collections.Concurrent;
using System.Threading.Channels;
using GopherCron.Modules.Logs.Contracts;

namespace GopherCron.Modules.Logs.Live;

/// <summary>Live events of runs, published after they are committed, for followers of a run's output.</summary>
internal sealed class RunFeed
{
    private const int FollowerBuffer = 4096;
    private readonly ConcurrentDictionary<long, ConcurrentDictionary<Follower, byte>> _followers = new();

    public Follower Follow(long runId)
    {
        var follower = new Follower(this, runId);
        _followers.GetOrAdd(runId, _ => new()).TryAdd(follower, 0);
        return follower;
    }

    public void Publish(RunFeedEvent feedEvent)
    {
        if (!_followers.TryGetValue(feedEvent.RunId, out var followers))
        {
            return;
        }

        foreach (var follower in followers.Keys)
        {
            // A follower that cannot keep up is cut off rather than allowed to grow without bound.
            if (!follower.Writer.TryWrite(feedEvent))
            {
                follower.Writer.TryComplete(new FollowerLaggedException());
            }
        }
    }

    private void Remove(Follower follower)
    {
        if (_followers.TryGetValue(follower.RunId, out var followers))
        {
            followers.TryRemove(follower, out _);
            if (followers.IsEmpty)
            {
                _followers.TryRemove(new KeyValuePair<long, ConcurrentDictionary<Follower, byte>>(follower.RunId, followers));
            }
        }
    }

    internal sealed class Follower : IDisposable
    {
        private readonly RunFeed _feed;
        private readonly Channel<RunFeedEvent> _channel = Channel.CreateBounded<RunFeedEvent>(
            new BoundedChannelOptions(FollowerBuffer) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

        public Follower(RunFeed feed, long runId)
        {
            _feed = feed;
            RunId = runId;
        }

        public long RunId { get; }

        public ChannelReader<RunFeedEvent> Reader => _channel.Reader;

        internal ChannelWriter<RunFeedEvent> Writer => _channel.Writer;

        public void Dispose()
        {
            _channel.Writer.TryComplete();
            _feed.Remove(this);
        }
    }
}

internal abstract record RunFeedEvent(long RunId);

internal sealed record OutputAppended(long RunId, int Sequence, string Text) : RunFeedEvent(RunId);

internal sealed record StatusChanged(long RunId, RunStatus Status) : RunFeedEvent(RunId);

internal sealed class FollowerLaggedException() : Exception("The follower fell behind the run's output.");
