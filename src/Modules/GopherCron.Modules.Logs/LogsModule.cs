using GopherCron.Modules.Logs.Contracts;
using GopherCron.Modules.Logs.Data;
using GopherCron.Modules.Logs.Features;
using GopherCron.Modules.Logs.Live;
using GopherCron.Modules.Logs.Recording;
using GopherCron.Modules.Logs.Retention;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Data;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GopherCron.Modules.Logs;

public sealed class LogsModule : IModule
{
    public static string Name => "Logs";

    public static void AddServices(IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LogsOptions>().BindConfiguration(LogsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddMigrations(Name, LogsMigrations.All);
        services.AddScoped(sp => new LogsDb(sp.GetRequiredService<Database>().Options));
        services.AddSingleton<RunFeed>();
        services.AddSingleton<RunEvents>();
        services.AddSingleton<IRunEvents>(sp => sp.GetRequiredService<RunEvents>());
        services.AddSingleton<RunLedger>();
        services.AddSingleton<IRunLedger>(sp => sp.GetRequiredService<RunLedger>());
        services.AddHostedService(sp => sp.GetRequiredService<RunLedger>());
        services.AddHostedService<RetentionPurge>();
        services.AddSingleton<IProjectDeletionParticipant, ProjectRunsDeletion>();
        services.AddValidatorsFromAssemblyContaining<LogsModule>(includeInternalTypes: true);
    }

    public static void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").WithTags(Name).RequireAuthorization();
        api.MapListTaskRuns();
        api.MapGetRun();
        api.MapGetRunOutput();
        api.MapKillRun();
    }
}
