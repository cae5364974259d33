using GopherCron.Modules.Shared.Cluster;
using GopherCron.Modules.Shared.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GopherCron.Modules.Shared;

public static class SharedServices
{
    /// <summary>The store, the migration runner and the clock that every module relies on.</summary>
    public static IServiceCollection AddGopherCronShared(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Database>();
        services.TryAddSingleton<MigrationRunner>();
        services.TryAddSingleton<LeadershipFence>();
        services.TryAddSingleton<IReplicaIdentity, StandaloneIdentity>();
        services.AddHttpClient(LeaderForwarding.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddMigrations(LeadershipFence.Module, LeadershipFence.Migrations);
        return services;
    }
}
