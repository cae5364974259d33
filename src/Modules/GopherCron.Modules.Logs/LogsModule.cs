using GopherCron.Modules.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace GopherCron.Modules.Logs;

public sealed class LogsModule : IModule
{
    public static string Name => "Logs";

    public static void AddServices(IHostApplicationBuilder builder)
    {
    }

    public static void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
    }
}
