using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace GopherCron.LoadTests.NoopPlugin;

/// <summary>
/// Appends one 24-byte record per start (task id, scheduled instant in unix µs, start in unix µs, little-endian) to a
/// file. The executor only enqueues; a background thread writes, so recording costs the fire path no I/O.
/// </summary>
internal sealed class StartRecorder
{
    private readonly ConcurrentQueue<(long TaskId, long ScheduledUs, long StartedUs)> _queue = new();
    private readonly string _path;

    public StartRecorder(string path)
    {
        _path = path;
        new Thread(WriteLoop) { IsBackground = true, Name = "noop-start-recorder" }.Start();
    }

    public void Record(long taskId, DateTimeOffset scheduledAt, DateTimeOffset startedAt) =>
        _queue.Enqueue((taskId, ToUnixUs(scheduledAt), ToUnixUs(startedAt)));

    private static long ToUnixUs(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private void WriteLoop()
    {
        var record = new byte[24];
        using var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
        while (true)
        {
            var wrote = false;
            while (_queue.TryDequeue(out var r))
            {
                BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(0), r.TaskId);
                BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(8), r.ScheduledUs);
                BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(16), r.StartedUs);
                file.Write(record);
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
