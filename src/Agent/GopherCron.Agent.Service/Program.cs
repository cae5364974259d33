using GopherCron.Agent;
using GopherCron.Agent.Discovery;
using GopherCron.Agent.Plugins;
using GopherCron.Agent.Service;
using GopherCron.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Settings ship beside the binary; GOPHERCRON_AGENT_HOSTS style variables and --Agent:Key=value arguments override them.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddEnvironmentVariables("GOPHERCRON_");
builder.Configuration.AddInMemoryCollection(AgentEnvironment.ShortForms());
builder.Configuration.AddCommandLine(args);

builder.AddServiceDefaults("gophercron-agent");
var settings = StandaloneAgentOptions.Read(builder.Configuration);
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(sp => new AgentOutbox(sp.GetRequiredService<ILogger<AgentOutbox>>()));
builder.Services.AddSingleton(sp =>
{
    var catalog = ExecutorCatalog.Load(settings.ResolvedPluginsPath, sp.GetRequiredService<IConfiguration>(),
        sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>());
    catalog.Watch(settings.ResolvedPluginsPath);
    return catalog;
});
builder.Services.AddSingleton(sp => new AgentRuntime(sp.GetRequiredService<AgentOutbox>(), sp.GetRequiredService<ExecutorCatalog>(),
    new AgentOptions { Name = settings.Name }, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AgentRuntime>>()));
builder.Services.AddHostedService<HostConnection>();

// Cluster mode: announce the agent in etcd under a lease, so hosts list it and learn at once when it dies.
var etcd = builder.Configuration.GetSection("Etcd").Get<EtcdPresenceOptions>() ?? new EtcdPresenceOptions();
if (!string.IsNullOrWhiteSpace(etcd.Endpoints))
{
    builder.Services.AddSingleton<IAgentPresence>(sp => new EtcdPresence(etcd, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EtcdPresence>>()));
    builder.Services.AddSingleton(sp => new EtcdLeaderWatch(etcd, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EtcdLeaderWatch>>()));
}

await builder.Build().RunAsync();
