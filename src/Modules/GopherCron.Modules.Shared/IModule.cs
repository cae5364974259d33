using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace GopherCron.Modules.Shared;

/// <summary>A vertical slice of the product: its services, tables and endpoints.</summary>
public interface IModule
{
    static abstract string Name { get; }

    static abstract void AddServices(IHostApplicationBuilder builder);

    static abstract void MapEndpoints(IEndpointRouteBuilder endpoints);
}

public static class ModuleExtensions
{
    public static IHostApplicationBuilder AddModule<TModule>(this IHostApplicationBuilder builder)
        where TModule : IModule
    {
        TModule.AddServices(builder);
        return builder;
    }

    public static IEndpointRouteBuilder MapModule<TModule>(this IEndpointRouteBuilder endpoints)
        where TModule : IModule
    {
        TModule.MapEndpoints(endpoints);
        return endpoints;
    }
}
