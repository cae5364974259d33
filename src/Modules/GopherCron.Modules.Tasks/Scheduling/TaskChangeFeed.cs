using System.Threading.Channels;

namespace GopherCron.Modules.Tasks.Scheduling;

/// <summary>
/// Tells the scheduler which tasks changed (created, edited, paused, resumed, deleted) so it reloads them at once
/// instead of polling. It carries ids only: the scheduler reads the committed definition itself.
/// </summary>
internal sealed class TaskChangeFeed
{
    private readonly Channel<long> _changes = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });

    public void Changed(long taskId) => _changes.Writer.TryWrite(taskId);

    public ChannelReader<long> Reader => _changes.Reader;
}
