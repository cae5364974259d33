using Microsoft.Extensions.Logging;

namespace GopherCron.Plugins.Shell;

// Event ids 2000-2099 belong to the shell executor.
internal static partial class Log
{
    [LoggerMessage(2000, LogLevel.Warning,
        "setsid was not found on PATH; shell runs start without their own process group, so kill and timeout reach only the shell, not what it started")]
    public static partial void SetsidMissing(ILogger logger);

    [LoggerMessage(2001, LogLevel.Debug, "Run {RunId}: started {Shell} as pid {Pid} (process group {IsGroup})")]
    public static partial void Started(ILogger logger, long runId, string shell, int pid, bool isGroup);

    [LoggerMessage(2002, LogLevel.Information, "Run {RunId}: stopping process group {Pid} (SIGTERM, then SIGKILL after {Grace})")]
    public static partial void Stopping(ILogger logger, long runId, int pid, TimeSpan grace);

    [LoggerMessage(2003, LogLevel.Information, "Run {RunId}: the shell exited with {ExitCode}; terminated processes it left behind in group {Pid}")]
    public static partial void LeftoversTerminated(ILogger logger, long runId, int exitCode, int pid);

    [LoggerMessage(2004, LogLevel.Warning,
        "Run {RunId}: stopped reading output {DrainTimeout} after the process group ended; a process outside the group still holds the output pipe")]
    public static partial void OutputAbandoned(ILogger logger, long runId, TimeSpan drainTimeout);

    [LoggerMessage(2005, LogLevel.Error, "Run {RunId}: reading the output failed; stopping the process group")]
    public static partial void OutputFailed(ILogger logger, Exception exception, long runId);
}
