using System.Collections.Concurrent;

namespace GopherCron.LoadTests.Harness;

/// <summary>The peers' side of <see cref="StartRecords"/>: callers enqueue, one background thread appends.</summary>
internal sealed class RecordWriter
{
    private readonly ConcurrentQueue<(long TaskId, DateTimeOffset ScheduledAt, DateTimeOffset StartedAt)> _queue = new();

    public RecordWriter(string path)
    {
        var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
        new Thread(() => WriteLoop(file)) { IsBackground = true, Name = "start-records" }.Start();
    }

    public void Record(long taskId, DateTimeOffset scheduledAt, DateTimeOffset startedAt) => _queue.Enqueue((taskId, scheduledAt, startedAt));

    private void WriteLoop(FileStream file)
    {
        while (true)
        {
            var wrote = false;
            while (_queue.TryDequeue(out var r))
            {
                StartRecords.Write(file, r.TaskId, r.ScheduledAt, r.StartedAt);
                wrote = true;
            }

            if (wrote)
            {
                file.Flush();
            }

            Thread.Sleep(50);
        }
    }
}
