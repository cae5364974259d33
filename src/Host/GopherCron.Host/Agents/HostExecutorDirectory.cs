using System.Text.Json;
using GopherCron.Agent.Plugins;
using GopherCron.Modules.Tasks.Contracts;

namespace GopherCron.Host.Agents;

/// <summary>Validates task configurations with the executors' own validators, from the host's plugins folder.</summary>
internal sealed class HostExecutorDirectory(ExecutorCatalog catalog) : IExecutorDirectory
{
    public IReadOnlyCollection<string> Kinds => catalog.Kinds;

    public IReadOnlyList<(string Field, string Message)>? Validate(string kind, JsonElement configuration) =>
        catalog.TryGet(kind, out var executor)
            ? executor.Validate(configuration).Select(e => (e.Field, e.Message)).ToList()
            : null;
}

internal static class AgentHosting
{
    public static IHostApplicationBuilder AddEmbeddedAgent(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<EmbeddedAgentOptions>().BindConfiguration(EmbeddedAgentOptions.Section);
        services.AddSingleton(sp => ExecutorCatalog.Load(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmbeddedAgentOptions>>().Value.ResolvedPluginsPath,
            sp.GetRequiredService<IConfiguration>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IExecutorDirectory, HostExecutorDirectory>();
        if (builder.Configuration.GetValue($"{EmbeddedAgentOptions.Section}:Embedded", true))
        {
            services.AddHostedService<EmbeddedAgent>();
        }

        return builder;
    }
}
