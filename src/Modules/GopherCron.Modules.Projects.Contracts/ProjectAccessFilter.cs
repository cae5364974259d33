using System.Globalization;
using GopherCron.Modules.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace GopherCron.Modules.Projects.Contracts;

/// <summary>Endpoint filters that enforce the caller's role in the project named by the <c>{projectId}</c> route value.</summary>
public static class ProjectAccessEndpointExtensions
{
    /// <summary>Answers 404 to non-members (and for unknown projects) and 403 to members below <paramref name="minimum"/>.</summary>
    /// <param name="builder">The endpoint or group.</param>
    /// <param name="minimum">The least role allowed.</param>
    public static TBuilder RequireProjectRole<TBuilder>(this TBuilder builder, ProjectRole minimum)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (!long.TryParse(http.Request.RouteValues["projectId"] as string, NumberStyles.None, CultureInfo.InvariantCulture, out var projectId))
            {
                return Problems.NotFound("The project does not exist.");
            }

            var access = http.RequestServices.GetRequiredService<IProjectAccess>();
            var role = await access.GetRoleAsync(projectId, http.User, http.RequestAborted);
            if (role is null)
            {
                return Problems.NotFound($"Project {projectId} does not exist or you are not a member of it.");
            }

            if (role < minimum)
            {
                return Problems.Forbidden($"This needs the {minimum.ToString().ToLowerInvariant()} role in project {projectId}; you are {role.Value.ToString().ToLowerInvariant()}.");
            }

            return await next(context);
        });
}
