using GopherCron.Modules.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace GopherCron.Modules.Projects;

public sealed class ProjectsModule : IModule
{
    public static string Name => "Projects";

    public static void AddServices(IHostApplicationBuilder builder)
    {
    }

    public static void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
    }
}
