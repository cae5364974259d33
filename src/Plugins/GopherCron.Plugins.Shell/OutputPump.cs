using System.Buffers;
using System.Text;
using GopherCron.Plugins.Abstractions;

namespace GopherCron.Plugins.Shell;

/// <summary>
/// Copies a process's stdout to an <see cref="IExecutionOutput"/> block by block, as it arrives: partial lines and
/// progress bars stream live, and a multibyte UTF-8 character split across two reads is decoded whole.
/// </summary>
internal sealed class OutputPump(Stream stdout, IExecutionOutput output)
{
    private const int BlockSize = 8 * 1024;

    private long _progress;
    private volatile bool _waitingForPipe;

    /// <summary>Changes whenever a read or a write completes; lets the drain tell "slow sink" from "silent pipe".</summary>
    public long Progress => Interlocked.Read(ref _progress);

    /// <summary>True while the pump waits on the pipe (as opposed to on the sink).</summary>
    public bool WaitingForPipe => _waitingForPipe;

    /// <summary>Pumps until end of file, or until <paramref name="abandon"/> fires while waiting on the pipe.</summary>
    public async Task RunAsync(CancellationToken abandon)
    {
        // Invalid bytes become U+FFFD rather than failing the run: output is for people to read.
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
        var bytes = ArrayPool<byte>.Shared.Rent(BlockSize);
        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(BlockSize));
        try
        {
            while (true)
            {
                int read;
                _waitingForPipe = true;
                try
                {
                    read = await stdout.ReadAsync(bytes.AsMemory(0, BlockSize), abandon);
                }
                catch (OperationCanceledException) when (abandon.IsCancellationRequested)
                {
                    read = 0;
                }
                finally
                {
                    _waitingForPipe = false;
                }

                Interlocked.Increment(ref _progress);
                var decoded = decoder.GetChars(bytes, 0, read, chars, 0, flush: read == 0);
                if (decoded > 0)
                {
                    // No token: the tail written while a run is being killed is the most interesting part; the sink
                    // bounds its own waits.
                    await output.WriteAsync(chars.AsMemory(0, decoded), CancellationToken.None);
                    Interlocked.Increment(ref _progress);
                }

                if (read == 0)
                {
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
