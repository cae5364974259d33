using Microsoft.Extensions.Logging;

namespace GopherCron.Plugins.Http;

// Event ids 2100-2199 belong to the http executor.
internal static partial class Log
{
    [LoggerMessage(2100, LogLevel.Debug, "Run {RunId}: {Method} {Url}")]
    public static partial void Sending(ILogger logger, long runId, string method, string url);
}
