using FluentValidation;
using GopherCron.Modules.Reporting.Features;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GopherCron.Modules.Reporting;

/// <summary>
/// Read-only summaries for the dashboard. It owns no tables: it reads the runs, tasks and projects that the Logs, Tasks
/// and Projects modules write, always limited to the projects the caller may see.
/// </summary>
public sealed class ReportingModule : IModule
{
    public static string Name => "Reporting";

    public static void AddServices(IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped(sp => new ReportingDb(sp.GetRequiredService<Database>().Options));
        builder.Services.AddValidatorsFromAssemblyContaining<ReportingModule>(includeInternalTypes: true);
    }

    public static void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").WithTags(Name).RequireAuthorization();
        api.MapDashboard();
    }
}
