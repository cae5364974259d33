using GopherCron.Plugins.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MyCompany.GopherCron.Echo;

/// <summary>The entry point the agent finds by reflection: register your executors and what they need.</summary>
public sealed class EchoPlugin : IExecutorPlugin
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        // configuration is the agent's Plugins:<folder name> section; ILoggerFactory and TimeProvider are registered.
        services.AddSingleton<ITaskExecutor, EchoExecutor>();
    }
}
