using FluentValidation;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Data;
using GopherCron.Modules.Shared.Security;
using GopherCron.Modules.Shared.Validation;
using GopherCron.Modules.Users.Authentication;
using GopherCron.Modules.Users.Contracts;
using GopherCron.Modules.Users.Data;
using GopherCron.Modules.Users.Domain;
using GopherCron.Modules.Users.Features;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace GopherCron.Modules.Users;

public sealed class UsersModule : IModule
{
    public static string Name => "Users";

    public static void AddServices(IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<UsersOptions>()
            .BindConfiguration(UsersOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddMigrations(Name, UsersSchema.Migrations);
        services.AddScoped(sp => new UsersDb(sp.GetRequiredService<Database>().Options));
        services.AddValidatorsFromAssemblyContaining<UsersModule>(includeInternalTypes: true);
        services.TryAddTransient<IValidator<PageQuery>, PageQueryValidator>();

        services.AddSingleton<SessionStore>();
        services.AddSingleton<LoginThrottle>();
        services.AddScoped<IUserDirectory, UserDirectory>();
        services.AddHostedService<SeedAdmin>();

        services.AddAuthentication(CallerClaims.Scheme)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(CallerClaims.Scheme, configureOptions: null);
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder(CallerClaims.Scheme).RequireAuthenticatedUser().Build())
            .AddPolicy(AuthorizationPolicies.SystemAdmin, policy => policy
                .AddAuthenticationSchemes(CallerClaims.Scheme)
                .RequireAuthenticatedUser()
                .RequireClaim(CallerClaims.SystemAdmin, "true"));
    }

    public static void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var auth = endpoints.MapGroup("/api/v1/auth").WithTags(Name).RequireAuthorization();
        auth.MapLogin();
        auth.MapLogout();
        auth.MapChangePassword();
        auth.MapGetMe();

        var users = endpoints.MapGroup("/api/v1/users").WithTags(Name).RequireAuthorization();
        users.MapGetUser();
        var admin = users.MapGroup("").RequireAuthorization(AuthorizationPolicies.SystemAdmin);
        admin.MapListUsers();
        admin.MapCreateUser();
        admin.MapUpdateUser();
        admin.MapDeleteUser();
    }
}
