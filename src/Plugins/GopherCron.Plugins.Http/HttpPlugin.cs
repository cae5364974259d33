using GopherCron.Plugins.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GopherCron.Plugins.Http;

/// <summary>
/// Registers the <c>http</c> executor: sends one HTTP request and succeeds when the response status is accepted.
/// </summary>
/// <remarks>The plugin has no agent-side configuration; everything is in the task's <c>config</c>.</remarks>
public sealed class HttpPlugin : IExecutorPlugin
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<HttpClients>();
        services.AddSingleton<ITaskExecutor, HttpExecutor>();
    }
}
