using FluentValidation;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Cluster;
using GopherCron.Modules.Shared.Data;
using GopherCron.Modules.Tasks.Contracts;
using GopherCron.Modules.Tasks.Data;
using GopherCron.Modules.Tasks.Dispatching;
using GopherCron.Modules.Tasks.Features;
using GopherCron.Modules.Tasks.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace GopherCron.Modules.Tasks;

public sealed class TasksModule : IModule
{
    public static string Name => "Tasks";

    public static void AddServices(IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TasksOptions>().BindConfiguration(TasksOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddMigrations(Name, TasksMigrations.All);
        services.AddScoped(sp => new TasksDb(sp.GetRequiredService<Database>().Options));
        services.TryAddSingleton<ILeadership, StandaloneLeadership>();
        services.AddSingleton<TaskChangeFeed>();
        services.AddSingleton<AgentRegistry>();
        services.AddSingleton<Dispatcher>();
        services.AddSingleton<IAgentGateway>(sp => sp.GetRequiredService<Dispatcher>());
        services.AddSingleton<IRunControl>(sp => sp.GetRequiredService<Dispatcher>());
        services.AddHostedService<AgentWeightsLoader>();
        services.AddOptions<EtcdOptions>().BindConfiguration(EtcdOptions.Section);
        services.AddSingleton<EtcdAgentDirectory>();
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{EtcdOptions.Section}:Endpoints"]))
        {
            services.AddHostedService(sp => sp.GetRequiredService<EtcdAgentDirectory>());
            services.AddHostedService<AgentDeathWatch>();
            services.AddSingleton<ILeaderAnnouncer, EtcdLeaderAnnouncer>();
        }

        services.AddSingleton<Scheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<Scheduler>());
        services.AddSingleton<IProjectDeletionParticipant, ProjectTasksDeletion>();
        services.AddHealthChecks().AddCheck<SchedulerHealthCheck>("scheduler");
        services.AddValidatorsFromAssemblyContaining<TasksModule>(includeInternalTypes: true);
    }

    public static void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").WithTags(Name).RequireAuthorization();
        api.MapPreviewCron();
        api.MapListAgents();
        api.MapListExecutors();
        api.MapSetAgentWeight();
        api.MapStreamEvents();

        var tasks = api.MapGroup("/projects/{projectId:long}/tasks");
        tasks.MapCreateTask();
        tasks.MapListTasks();
        tasks.MapGetTask();
        tasks.MapUpdateTask();
        tasks.MapDeleteTask();
        tasks.MapPauseResumeTask();
        tasks.MapRunTaskNow();
        tasks.MapCopyTask();
    }
}
