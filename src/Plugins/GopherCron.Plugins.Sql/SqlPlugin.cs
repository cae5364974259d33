using GopherCron.Plugins.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GopherCron.Plugins.Sql;

/// <summary>
/// Registers the <c>sql</c> executor: runs statements against a database connection named in the agent's configuration.
/// </summary>
/// <remarks>
/// Plugin configuration (<c>Plugins:sql</c>): <c>Connections:&lt;name&gt;:Provider</c> (<c>mysql</c>, <c>mariadb</c>,
/// <c>postgres</c> or <c>sqlite</c>) and <c>Connections:&lt;name&gt;:ConnectionString</c>. Tasks refer to a connection
/// by name only, so credentials stay on the agent.
/// </remarks>
public sealed class SqlPlugin : IExecutorPlugin
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(SqlOptions.From(configuration));
        services.AddSingleton<ITaskExecutor, SqlExecutor>();
    }
}
