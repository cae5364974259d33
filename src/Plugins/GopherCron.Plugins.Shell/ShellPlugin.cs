using GopherCron.Plugins.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GopherCron.Plugins.Shell;

/// <summary>
/// Registers the <c>shell</c> executor: runs a command with <c>/bin/sh -c</c> in its own process group.
/// </summary>
/// <remarks>
/// Plugin configuration (<c>Plugins:shell</c>): <c>DefaultShell</c> (absolute path, default <c>/bin/sh</c>) and
/// <c>KillGracePeriod</c> (a TimeSpan such as <c>00:00:05</c>, or a number of seconds; default 5 s).
/// </remarks>
public sealed class ShellPlugin : IExecutorPlugin
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        var options = ShellOptions.From(configuration);
        services.AddSingleton(options);
        services.AddSingleton<ITaskExecutor, ShellExecutor>();
    }
}
