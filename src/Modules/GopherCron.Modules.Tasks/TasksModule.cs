using GopherCron.Modules.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace GopherCron.Modules.Tasks;

public sealed class TasksModule : IModule
{
    public static string Name => "Tasks";

    public static void AddServices(IHostApplicationBuilder builder)
    {
    }

    public static void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
    }
}
