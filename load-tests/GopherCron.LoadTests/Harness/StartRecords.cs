using System.Buffers.Binary;

namespace GopherCron.LoadTests.Harness;

/// <summary>
/// The start records every system under test writes (the noop plugin in GopherCron, the job bodies in the peers):
/// 24 bytes each — task id, scheduled instant and executor start, both unix µs, little-endian.
/// </summary>
internal static class StartRecords
{
    public const int Size = 24;

    public static void Write(Stream stream, long taskId, DateTimeOffset scheduledAt, DateTimeOffset startedAt)
    {
        Span<byte> record = stackalloc byte[Size];
        BinaryPrimitives.WriteInt64LittleEndian(record, taskId);
        BinaryPrimitives.WriteInt64LittleEndian(record[8..], ToUnixUs(scheduledAt));
        BinaryPrimitives.WriteInt64LittleEndian(record[16..], ToUnixUs(startedAt));
        stream.Write(record);
    }

    public static long ToUnixUs(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static IEnumerable<(long TaskId, long ScheduledUs, long StartedUs)> Read(string path)
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        var record = new byte[Size];
        while (file.ReadAtLeast(record, Size, throwOnEndOfStream: false) == Size)
        {
            yield return (BinaryPrimitives.ReadInt64LittleEndian(record),
                BinaryPrimitives.ReadInt64LittleEndian(record.AsSpan(8)),
                BinaryPrimitives.ReadInt64LittleEndian(record.AsSpan(16)));
        }
    }

    public static long CountRecords(string path) => File.Exists(path) ? new FileInfo(path).Length / Size : 0;
}
