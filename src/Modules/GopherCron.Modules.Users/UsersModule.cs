using GopherCron.Modules.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace GopherCron.Modules.Users;

public sealed class UsersModule : IModule
{
    public static string Name => "Users";

    public static void AddServices(IHostApplicationBuilder builder)
    {
    }

    public static void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
    }
}
