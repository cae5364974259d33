using Microsoft.Extensions.Logging;

namespace GopherCron.Agent;

// Event ids: 1000-1099 plugin loading, 1100-1199 the run lifecycle.
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Warning, "Plugins folder {Folder} does not exist; no executor plugins loaded from it")]
    public static partial void PluginsFolderMissing(ILogger logger, string folder);

    [LoggerMessage(1001, LogLevel.Information, "Loaded executor plugin {Name} ({Kinds}) from {Assembly}")]
    public static partial void PluginLoaded(ILogger logger, string name, string kinds, string assembly);

    [LoggerMessage(1002, LogLevel.Error, "Skipped executor plugin folder {Folder}: {Reason}")]
    public static partial void PluginFailed(ILogger logger, Exception? exception, string folder, string reason);

    [LoggerMessage(1003, LogLevel.Warning, "Watching the plugins folder {Folder} hit a problem; rescanning")]
    public static partial void PluginWatchError(ILogger logger, Exception? exception, string folder);

    [LoggerMessage(1004, LogLevel.Error, "A handler of the executor catalog's KindsChanged event failed")]
    public static partial void KindsChangedHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(1100, LogLevel.Warning, "Rejected run {RunId}: {Reason}")]
    public static partial void RunRejected(ILogger logger, long runId, string reason);

    [LoggerMessage(1101, LogLevel.Information, "Ignored a second dispatch of run {RunId}, which is already running")]
    public static partial void DuplicateDispatch(ILogger logger, long runId);

    [LoggerMessage(1102, LogLevel.Information, "Run {RunId} started with executor {Executor}, {Lateness} after its scheduled instant")]
    public static partial void RunStarted(ILogger logger, long runId, string executor, TimeSpan lateness);

    [LoggerMessage(1103, LogLevel.Information, "Run {RunId} finished: {Outcome} (exit code {ExitCode}) {Error}")]
    public static partial void RunFinished(ILogger logger, long runId, GopherCron.Agent.Protocol.RunOutcome outcome, int? exitCode, string? error);

    [LoggerMessage(1104, LogLevel.Information, "Killing run {RunId}: {Reason}")]
    public static partial void Killing(ILogger logger, long runId, string reason);

    [LoggerMessage(1105, LogLevel.Debug, "Kill for run {RunId} ignored: it is not running on this agent")]
    public static partial void KillUnknownRun(ILogger logger, long runId);

    [LoggerMessage(1106, LogLevel.Error, "Executor {Executor} threw while running run {RunId}")]
    public static partial void ExecutorFailed(ILogger logger, Exception exception, long runId, string executor);

    [LoggerMessage(1107, LogLevel.Error, "Run {RunId} ended abnormally in the agent runtime")]
    public static partial void RunCrashed(ILogger logger, Exception exception, long runId);

    [LoggerMessage(1108, LogLevel.Warning, "Could not send {Message} for run {RunId}")]
    public static partial void SendFailed(ILogger logger, Exception exception, string message, long runId);

    [LoggerMessage(1109, LogLevel.Warning, "Dropped output chunk {Sequence} of run {RunId} ({Length} characters): the uplink failed")]
    public static partial void OutputDropped(ILogger logger, Exception exception, long runId, long sequence, int length);

    [LoggerMessage(1110, LogLevel.Warning, "Ignored a host message of unknown type {Type}")]
    public static partial void UnknownMessage(ILogger logger, string type);
}
