using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GopherCron.Plugins.Abstractions;

/// <summary>
/// The entry point the agent looks for in each plugin assembly (the assembly named like the plugin's folder).
/// It registers the plugin's <see cref="ITaskExecutor"/> implementations and whatever they need.
/// </summary>
/// <remarks>
/// The agent builds one service provider per plugin. It already contains <c>ILoggerFactory</c>,
/// <c>TimeProvider</c> and the agent's configuration for the plugin.
/// </remarks>
public interface IExecutorPlugin
{
    /// <summary>Registers the plugin's executors (as <see cref="ITaskExecutor"/>) and their dependencies.</summary>
    /// <param name="services">The plugin's own service collection.</param>
    /// <param name="configuration">The agent's configuration section for this plugin (<c>Plugins:&lt;folder name&gt;</c>); empty when none is set.</param>
    void ConfigureServices(IServiceCollection services, IConfiguration configuration);
}

/// <summary>Version of this SDK contract; the agent refuses plugins built against a newer major version.</summary>
public static class PluginContract
{
    /// <summary>The contract's major version: breaking changes increase it.</summary>
    public const int MajorVersion = 1;
}
