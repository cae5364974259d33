using GopherCron.Host;
using GopherCron.Host.Cluster;
using GopherCron.Host.Agents;
using GopherCron.Host.Commands;
using GopherCron.Modules.Shared.Data;
using GopherCron.ServiceDefaults;

if (MigrateCommand.IsRequested(args))
{
    return await MigrateCommand.RunAsync(args);
}

// Settings ship beside the binary; data paths stay relative to the folder the host is started in (./data).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.AddServiceDefaults("gophercron-host");
builder.AddHttpConventions();
builder.AddClusterLeadership();
builder.AddModules();
builder.AddEmbeddedAgent();
builder.AddRemoteAgents();

var app = builder.Build();

// The schema must be current before anything reads it; a replica that cannot migrate must not serve.
await app.Services.GetRequiredService<MigrationRunner>().MigrateAsync(app.Lifetime.ApplicationStopping);

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapAdminUi();
app.UseAuthentication();
app.UseAuthorization();
app.UseLeaderForwarding();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapModules();
app.MapCluster();
app.MapRemoteAgents();

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
