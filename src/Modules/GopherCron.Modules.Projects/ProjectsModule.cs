using FluentValidation;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Projects.Data;
using GopherCron.Modules.Projects.Features;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Data;
using GopherCron.Modules.Users.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GopherCron.Modules.Projects;

public sealed class ProjectsModule : IModule
{
    public static string Name => "Projects";

    public static void AddServices(IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddMigrations(Name, ProjectsSchema.Migrations);
        services.AddScoped(sp => new ProjectsDb(sp.GetRequiredService<Database>().Options));
        services.AddValidatorsFromAssemblyContaining<ProjectsModule>(includeInternalTypes: true);
        services.AddScoped<IProjectAccess, ProjectAccess>();
        services.AddSingleton<IProjectTokens, ProjectTokens>();
        services.AddSingleton<IUserDeletionParticipant, RemoveUserMemberships>();
    }

    public static void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var projects = endpoints.MapGroup("/api/v1/projects").WithTags(Name).RequireAuthorization();
        projects.MapListProjects();
        projects.MapCreateProject();

        var project = projects.MapGroup("/{projectId:long}");
        project.MapGetProject();
        project.MapUpdateProject();
        project.MapDeleteProject();
        project.MapListMembers();
        project.MapAddMember();
        project.MapUpdateMember();
        project.MapRemoveMember();
        project.MapGetProjectToken();
        project.MapRegenerateProjectToken();
    }
}
