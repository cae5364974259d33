using GopherCron.Modules.Shared.Data;

namespace GopherCron.Host.Commands;

/// <summary>
/// <c>GopherCron.Host migrate</c>: applies pending schema migrations and exits, without serving. Lets an operator
/// migrate a cluster's store once, ahead of a rolling upgrade, instead of leaving it to whichever replica starts first.
/// </summary>
internal static class MigrateCommand
{
    public static bool IsRequested(string[] args) => args is ["migrate", ..];

    public static async Task<int> RunAsync(string[] args)
    {
        // The same configuration sources and module registrations as the server, but no web host is started.
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args[1..],
            ContentRootPath = AppContext.BaseDirectory,
        });
        // The command prints what it applied itself; the runner's own log lines would only repeat it.
        builder.Logging.AddFilter(typeof(MigrationRunner).FullName, LogLevel.Warning);
        builder.AddModules();
        using var host = builder.Build();
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            var database = host.Services.GetRequiredService<Database>();
            Console.WriteLine($"Migrating the {database.Dialect} store...");
            var applied = await host.Services.GetRequiredService<MigrationRunner>().MigrateAsync(cancel.Token);
            foreach (var migration in applied)
            {
                Console.WriteLine($"applied {migration.Module} v{migration.Version}: {migration.Name}");
            }

            Console.WriteLine(applied.Count == 0 ? "The schema is up to date; nothing to apply." : $"Applied {applied.Count} migration(s).");
            return 0;
        }
        catch (Exception e)
        {
            // Whatever broke (unreachable server, bad credentials, invalid settings, a failing statement), say it plainly.
            Console.Error.WriteLine($"migrate failed: {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }
}
