using System.Threading.Channels;

namespace GopherCron.Modules.Logs.Contracts;

/// <summary>A run's status as just committed: a new run (pending or already ended), a start, or its end.</summary>
/// <param name="RunId">The run.</param>
/// <param name="ProjectId">Its project, so that subscribers can show it only to members.</param>
/// <param name="TaskId">Its task.</param>
/// <param name="Status">The status now stored.</param>
/// <param name="Agent">The agent that holds it, when known.</param>
public sealed record RunStatusEvent(long RunId, long ProjectId, long TaskId, RunStatus Status, string? Agent);

/// <summary>Every run's status changes, after they are committed, for live views (the admin UI's event stream).</summary>
public interface IRunEvents
{
    /// <summary>
    /// Subscribes to every run status change. A subscriber that falls more than a few thousand events behind is
    /// completed with an error and should subscribe again. Dispose the subscription to end it.
    /// </summary>
    /// <returns>The subscription.</returns>
    RunEventSubscription Subscribe();
}

/// <summary>One subscriber's events; dispose to unsubscribe.</summary>
/// <param name="reader">Where the events arrive.</param>
/// <param name="unsubscribe">Ends the subscription.</param>
public sealed class RunEventSubscription(ChannelReader<RunStatusEvent> reader, Action unsubscribe) : IDisposable
{
    /// <summary>The events, in commit order.</summary>
    public ChannelReader<RunStatusEvent> Reader { get; } = reader;

    /// <summary>Unsubscribes.</summary>
    public void Dispose() => unsubscribe();
}
