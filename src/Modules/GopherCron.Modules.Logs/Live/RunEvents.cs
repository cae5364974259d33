using System.Collections.Concurrent;
using System.Threading.Channels;
using GopherCron.Modules.Logs.Contracts;

namespace GopherCron.Modules.Logs.Live;

/// <summary>Fans run status changes out to every subscriber; the ledger publishes after each commit.</summary>
internal sealed class RunEvents : IRunEvents
{
    private const int SubscriberBuffer = 4096;
    private readonly ConcurrentDictionary<Channel<RunStatusEvent>, byte> _subscribers = new();

    public bool HasSubscribers => !_subscribers.IsEmpty;

    public RunEventSubscription Subscribe()
    {
        var channel = Channel.CreateBounded<RunStatusEvent>(new BoundedChannelOptions(SubscriberBuffer) { SingleReader = true });
        _subscribers.TryAdd(channel, 0);
        return new RunEventSubscription(channel.Reader, () =>
        {
            _subscribers.TryRemove(channel, out _);
            channel.Writer.TryComplete();
        });
    }

    public void Publish(RunStatusEvent runEvent)
    {
        foreach (var channel in _subscribers.Keys)
        {
            // A subscriber that cannot keep up is ended rather than allowed to grow without bound.
            if (!channel.Writer.TryWrite(runEvent))
            {
                _subscribers.TryRemove(channel, out _);
                channel.Writer.TryComplete(new InvalidOperationException("The subscriber fell behind the run events."));
            }
        }
    }
}
