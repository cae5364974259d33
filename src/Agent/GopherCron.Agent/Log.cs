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
}
