using Microsoft.Extensions.Logging;

namespace GopherCron.Plugins.Sql;

// Event ids 2200-2299 belong to the sql executor.
internal static partial class Log
{
    [LoggerMessage(2200, LogLevel.Debug, "Run {RunId}: {Count} statement(s) on connection {Connection} ({Provider})")]
    public static partial void Executing(ILogger logger, long runId, int count, string connection, string provider);

    [LoggerMessage(2201, LogLevel.Warning, "Run {RunId}: rolling back the transaction failed")]
    public static partial void RollbackFailed(ILogger logger, Exception exception, long runId);
}
