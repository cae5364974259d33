namespace GopherCron.Plugins.Abstractions;

/// <summary>
/// Receives output produced while a task runs. Writes are forwarded live and stored with a cap
/// (head and tail kept); callers need not buffer. Not safe for concurrent writes: serialise them.
/// </summary>
public interface IExecutionOutput
{
    /// <summary>Appends text exactly as given (no newline is added).</summary>
    /// <param name="text">The text to append.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask WriteAsync(ReadOnlyMemory<char> text, CancellationToken cancellationToken);

    /// <summary>Appends a line of text followed by a newline.</summary>
    /// <param name="line">The line, without its newline.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask WriteLineAsync(string line, CancellationToken cancellationToken) =>
        WriteAsync((line + "\n").AsMemory(), cancellationToken);
}
