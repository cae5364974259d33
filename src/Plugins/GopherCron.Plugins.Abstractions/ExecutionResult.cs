namespace GopherCron.Plugins.Abstractions;

/// <summary>Outcome of an execution; an exit code of 0 means success.</summary>
/// <param name="ExitCode">0 for success; anything else is a failure (for processes, the process's exit code).</param>
/// <param name="Error">A one-line reason for a failure, shown beside the run; null on success.</param>
public sealed record ExecutionResult(int ExitCode, string? Error = null)
{
    /// <summary>A successful execution.</summary>
    public static ExecutionResult Succeeded { get; } = new(0);

    /// <summary>A failed execution with exit code 1 and the given reason.</summary>
    /// <param name="error">Why it failed.</param>
    public static ExecutionResult Failed(string error) => new(1, error);
}
