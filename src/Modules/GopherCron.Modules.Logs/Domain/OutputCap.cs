namespace GopherCron.Modules.Logs.Domain;

/// <summary>
/// Keeps one run's stored output within a cap: the first half of the cap is kept as it arrives (the head), then the
/// most recent half (the tail) rolls, and one marker row between them says how much was elided. Every piece is
/// written as it arrives and rolled-off tail pieces are deleted, so the stored output is always head + marker + tail
/// and memory holds only the tail's sizes, never its text.
/// </summary>
internal sealed class OutputCap(long capBytes)
{
    private readonly long _headCap = capBytes / 2;
    private readonly long _tailCap = capBytes - (capBytes / 2);
    private readonly Queue<(int Sequence, long Bytes)> _tail = new();
    private long _lastAgentSequence;
    private int _nextSequence = 1;
    private long _headBytes;
    private long _tailBytes;
    private int? _markerSequence;
    private bool _markerWritten;

    public long TotalBytes { get; private set; }

    public long ElidedBytes { get; private set; }

    /// <summary>Plans the storage operations for one piece of output; empty when the piece is a duplicate.</summary>
    public void Accept(long agentSequence, string text, List<OutputOperation> operations)
    {
        if (agentSequence <= _lastAgentSequence || text.Length == 0)
        {
            return;
        }

        _lastAgentSequence = agentSequence;
        var bytes = Utf8.ByteCount(text);
        TotalBytes += bytes;

        if (_headBytes < _headCap)
        {
            var room = _headCap - _headBytes;
            if (bytes <= room)
            {
                operations.Add(new OutputOperation.Insert(_nextSequence++, text));
                _headBytes += bytes;
                return;
            }

            var (head, rest) = Utf8.SplitAt(text, room);
            if (head.Length > 0)
            {
                operations.Add(new OutputOperation.Insert(_nextSequence++, head));
            }

            _headBytes = _headCap;
            text = rest;
            bytes = Utf8.ByteCount(rest);
        }

        AppendToTail(text, bytes, operations);
    }

    private void AppendToTail(string text, long bytes, List<OutputOperation> operations)
    {
        // Reserve the marker's place once, between the head and the first tail piece, so ordering by sequence holds.
        _markerSequence ??= _nextSequence++;
        if (bytes > _tailCap)
        {
            var (cut, kept) = Utf8.SplitAt(text, bytes - _tailCap);
            ElidedBytes += Utf8.ByteCount(cut);
            text = kept;
            bytes = Utf8.ByteCount(kept);
        }

        var sequence = _nextSequence++;
        operations.Add(new OutputOperation.Insert(sequence, text));
        _tail.Enqueue((sequence, bytes));
        _tailBytes += bytes;

        List<int>? dropped = null;
        while (_tailBytes > _tailCap && _tail.Count > 1)
        {
            var oldest = _tail.Dequeue();
            _tailBytes -= oldest.Bytes;
            ElidedBytes += oldest.Bytes;
            (dropped ??= []).Add(oldest.Sequence);
        }

        if (dropped is not null)
        {
            operations.Add(new OutputOperation.Delete(dropped));
        }

        if (ElidedBytes > 0)
        {
            operations.Add(new OutputOperation.Marker(_markerSequence.Value, MarkerText(ElidedBytes), Update: _markerWritten));
            _markerWritten = true;
        }
    }

    public static string MarkerText(long elidedBytes) => $"\n[... {elidedBytes} bytes of output elided ...]\n";
}

internal abstract record OutputOperation
{
    public sealed record Insert(int Sequence, string Text) : OutputOperation;

    public sealed record Delete(IReadOnlyList<int> Sequences) : OutputOperation;

    public sealed record Marker(int Sequence, string Text, bool Update) : OutputOperation;
}

internal static class Utf8
{
    public static long ByteCount(string text) => System.Text.Encoding.UTF8.GetByteCount(text);

    /// <summary>Splits so that the first part has at most <paramref name="maxBytes"/> UTF-8 bytes, never inside a character.</summary>
    public static (string First, string Remainder) SplitAt(string text, long maxBytes)
    {
        long bytes = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            int width;
            int chars = 1;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                width = 4;
                chars = 2;
            }
            else
            {
                width = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }

            if (bytes + width > maxBytes)
            {
                break;
            }

            bytes += width;
            i += chars;
        }

        return (text[..i], text[i..]);
    }
}
