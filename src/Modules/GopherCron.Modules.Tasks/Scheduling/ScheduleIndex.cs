using GopherCron.Modules.Tasks.Domain;

namespace GopherCron.Modules.Tasks.Scheduling;

/// <summary>
/// The leader's in-memory schedule: the next fire of every enabled task, ordered by instant. Replacing or removing a
/// task leaves its old queue entry behind; entries carry a version and stale ones are dropped when they surface.
/// Used by the scheduler loop only (single-threaded).
/// </summary>
internal sealed class ScheduleIndex
{
    private readonly PriorityQueue<Entry, (long At, long TaskId)> _queue = new();
    private readonly Dictionary<long, Slot> _tasks = [];
    private long _versions;

    public int Count => _tasks.Count;

    public void Clear()
    {
        _queue.Clear();
        _tasks.Clear();
    }

    public bool Contains(long taskId) => _tasks.ContainsKey(taskId);

    public CronTask? Find(long taskId) => _tasks.TryGetValue(taskId, out var slot) ? slot.Task : null;

    /// <summary>Schedules (or reschedules) the task's next fire; a null instant means it never fires again.</summary>
    public void Set(CronTask task, DateTimeOffset? next)
    {
        var version = ++_versions;
        _tasks[task.Id] = new Slot(task, version, next);
        if (next is { } at)
        {
            _queue.Enqueue(new Entry(task.Id, version), (at.ToUnixTimeMilliseconds(), task.Id));
        }
    }

    public void Remove(long taskId) => _tasks.Remove(taskId);

    /// <summary>The earliest pending fire, or null when nothing is scheduled.</summary>
    public DateTimeOffset? PeekNext()
    {
        while (_queue.TryPeek(out var entry, out var key))
        {
            if (IsCurrent(entry))
            {
                return DateTimeOffset.FromUnixTimeMilliseconds(key.At);
            }

            _queue.Dequeue();
        }

        return null;
    }

    /// <summary>Takes every fire due at or before <paramref name="now"/>; the caller must <see cref="Set"/> each task's next fire.</summary>
    public void TakeDue(DateTimeOffset now, List<(CronTask Task, DateTimeOffset At)> due)
    {
        var limit = now.ToUnixTimeMilliseconds();
        while (_queue.TryPeek(out var entry, out var key) && key.At <= limit)
        {
            _queue.Dequeue();
            if (IsCurrent(entry))
            {
                var slot = _tasks[entry.TaskId];
                due.Add((slot.Task, slot.Next!.Value));
            }
        }
    }

    private bool IsCurrent(Entry entry) => _tasks.TryGetValue(entry.TaskId, out var slot) && slot.Version == entry.Version;

    private readonly record struct Entry(long TaskId, long Version);

    private sealed record Slot(CronTask Task, long Version, DateTimeOffset? Next);
}
