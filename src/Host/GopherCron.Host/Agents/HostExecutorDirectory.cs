using System.Text.Json;
using GopherCron.Agent.Plugins;
using GopherCron.Modules.Tasks.Contracts;

namespace GopherCron.Host.Agents;

/// <summary>Validates task configurations with the executors' own validators, from the host's plugins folder.</summary>
internal sealed class HostExecutorDirectory(ExecutorCatalog catalog) : IExecutorDirectory
{
    public IReadOnlyCollection<string> Kinds => catalog.Kinds;

    public IReadOnlyList<ExecutorInfo> Executors =>
        [.. catalog.Executors.Select(e => new ExecutorInfo(e.Kind, e.Descriptor.DisplayName, e.Descriptor.Description, e.Descriptor.ConfigurationSchema))];

    public IReadOnlyList<ExecutorPluginFailure> Failures =>
        [.. catalog.Failures.Select(f => new ExecutorPluginFailure(f.Folder, f.Reason))];

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
        services.AddSingleton(sp =>
        {
            var path = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmbeddedAgentOptions>>().Value.ResolvedPluginsPath;
            var catalog = ExecutorCatalog.Load(path, sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<ILoggerFactory>(),
                sp.GetRequiredService<TimeProvider>());

            // Hot load: plugins dropped in later are validated by the host and offered by the embedded agent.
            catalog.Watch(path);
            return catalog;
        });
        services.AddSingleton<IExecutorDirectory, HostExecutorDirectory>();
        if (builder.Configuration.GetValue($"{EmbeddedAgentOptions.Section}:Embedded", true))
        {
            services.AddHostedService<EmbeddedAgent>();
        }

        return builder;
    }

    /// <summary>
    /// Remote agents connect over gRPC, which needs HTTP/2. Kestrel cannot offer HTTP/1.1 and HTTP/2 on one plaintext
    /// port (without TLS there is no protocol negotiation), so the agent stream gets its own port,
    /// <c>Agents:GrpcPort</c> (default 6307), on the same interface as the API's first URL, speaking HTTP/2 only.
    /// </summary>
    public static WebApplicationBuilder AddRemoteAgents(this WebApplicationBuilder builder)
    {
        var port = builder.Configuration.GetValue(RemoteAgentOptions.Section + ":GrpcPort", RemoteAgentOptions.DefaultGrpcPort);
        builder.Services.AddGrpc();
        builder.Services.Configure<RemoteAgentOptions>(o => o.GrpcPort = port);
        if (port <= 0)
        {
            return builder;
        }

        var urls = (builder.Configuration[WebHostDefaults.ServerUrlsKey] ?? "http://localhost:6306")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var first = urls.FirstOrDefault() ?? "http://localhost:6306";
        var authority = first.Split("://", 2);
        var hostPart = authority[1];
        hostPart = hostPart[..(hostPart.LastIndexOf(':') is var colon and > 0 && !hostPart.EndsWith(']') ? colon : hostPart.Length)];
        builder.WebHost.UseUrls([.. urls, $"{authority[0]}://{hostPart}:{port}"]);
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(listen =>
        {
            if (listen.IPEndPoint?.Port == port)
            {
                listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2;
            }
        }));
        return builder;
    }

    public static IEndpointRouteBuilder MapRemoteAgents(this IEndpointRouteBuilder app)
    {
        var port = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<RemoteAgentOptions>>().Value.GrpcPort;
        if (port > 0)
        {
            app.MapGrpcService<AgentStreamService>().RequireHost($"*:{port}");
        }

        return app;
    }
}

/// <summary>Where remote agents connect.</summary>
internal sealed class RemoteAgentOptions
{
    public const string Section = "Agents";

    public const int DefaultGrpcPort = 6307;

    /// <summary>The HTTP/2 (gRPC) port agents dial; 0 turns remote agents off.</summary>
    public int GrpcPort { get; set; } = DefaultGrpcPort;
}
