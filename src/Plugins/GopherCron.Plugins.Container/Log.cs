using Microsoft.Extensions.Logging;

namespace GopherCron.Plugins.Container;

// Event ids 2300-2399 belong to the container executor.
internal static partial class Log
{
    [LoggerMessage(2300, LogLevel.Debug, "Run {RunId}: pulling {Image}")]
    public static partial void Pulling(ILogger logger, long runId, string image);

    [LoggerMessage(2301, LogLevel.Debug, "Run {RunId}: started container {ContainerId} from {Image}")]
    public static partial void Started(ILogger logger, long runId, string containerId, string image);

    [LoggerMessage(2302, LogLevel.Information, "Run {RunId}: stopping container {ContainerId} (SIGTERM, then SIGKILL after {Grace})")]
    public static partial void Stopping(ILogger logger, long runId, string containerId, TimeSpan grace);

    [LoggerMessage(2303, LogLevel.Warning, "Run {RunId}: could not stop container {ContainerId}")]
    public static partial void StopFailed(ILogger logger, long runId, string containerId, Exception exception);

    [LoggerMessage(2304, LogLevel.Warning, "Run {RunId}: could not remove container {ContainerId}")]
    public static partial void RemoveFailed(ILogger logger, long runId, string containerId, Exception exception);

    [LoggerMessage(2305, LogLevel.Warning, "Run {RunId}: cannot reach the Docker engine at {Address}")]
    public static partial void EngineUnreachable(ILogger logger, long runId, string address, Exception exception);
}
