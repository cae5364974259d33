using GopherCron.Modules.Logs;
using GopherCron.Modules.Projects;
using GopherCron.Modules.Reporting;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Tasks;
using GopherCron.Modules.Users;

namespace GopherCron.Host;

/// <summary>The one place that knows every module.</summary>
internal static class ModuleCatalog
{
    public static IHostApplicationBuilder AddModules(this IHostApplicationBuilder builder)
    {
        builder.Services.AddGopherCronShared();
        return builder
            .AddModule<UsersModule>()
            .AddModule<ProjectsModule>()
            // Logs before Tasks: hosted services stop in reverse order, so the run ledger drains last.
            .AddModule<LogsModule>()
            .AddModule<TasksModule>()
            .AddModule<ReportingModule>();
    }

    public static IEndpointRouteBuilder MapModules(this IEndpointRouteBuilder app) => app
        .MapModule<UsersModule>()
        .MapModule<ProjectsModule>()
        .MapModule<LogsModule>()
        .MapModule<TasksModule>()
        .MapModule<ReportingModule>();
}
