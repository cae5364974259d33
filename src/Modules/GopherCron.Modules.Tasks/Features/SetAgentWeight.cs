using System.Security.Claims;
using FluentValidation;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Cluster;
using GopherCron.Modules.Shared.Data;
using GopherCron.Modules.Shared.Security;
using GopherCron.Modules.Shared.Time;
using GopherCron.Modules.Shared.Validation;
using GopherCron.Modules.Tasks.Data;
using GopherCron.Modules.Tasks.Dispatching;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GopherCron.Modules.Tasks.Features;

internal sealed record SetAgentWeightRequest(int? Weight);

/// <param name="Agents">Every connected agent of that name, as listed by <c>GET /api/v1/agents</c>.</param>
internal sealed record SetAgentWeightResponse(string AgentName, int Weight, IReadOnlyList<AgentResponse> Agents);

internal sealed class SetAgentWeightValidator : AbstractValidator<SetAgentWeightRequest>
{
    public SetAgentWeightValidator() =>
        RuleFor(r => r.Weight).NotNull().WithMessage("weight is required.")
            .InclusiveBetween(0, 100).WithMessage("weight must be from 0 (receives no runs) to 100.");
}

/// <summary>
/// Changes an agent's share of dispatches at once, for the agent's name: the weight outlives the agent's restarts and
/// overrides the weight it starts with. System administrators may set any agent's weight; a project administrator
/// may set the weight of an agent that serves only projects they administer.
/// </summary>
internal static class SetAgentWeight
{
    public static RouteHandlerBuilder MapSetAgentWeight(this IEndpointRouteBuilder api) =>
        api.MapPut("/agents/{agentName}/weight", HandleAsync)
            .WithName(nameof(SetAgentWeight))
            .WithValidation<SetAgentWeightRequest>()
            .ServedByLeader();

    private static async Task<IResult> HandleAsync(
        string agentName, SetAgentWeightRequest request, ClaimsPrincipal user, AgentRegistry registry, IProjectAccess access,
        TasksDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var agents = registry.All.Where(a => a.Name == agentName).ToList();
        if (agents.Count == 0)
        {
            return Problems.NotFound($"No agent named '{agentName}' is online.");
        }

        if (!user.IsSystemAdmin())
        {
            var served = agents.Select(a => a.Descriptor.ProjectIds).ToList();
            if (served.Any(p => p is null))
            {
                return Problems.Forbidden("This agent serves every project; only system administrators can change its weight.");
            }

            foreach (var projectId in served.SelectMany(p => p!).Distinct())
            {
                if (await access.GetRoleAsync(projectId, user, cancellationToken) != ProjectRole.Admin)
                {
                    return Problems.Forbidden($"Changing this agent's weight needs the admin role in every project it serves, including {projectId}.");
                }
            }
        }

        var row = new AgentWeightRow { AgentName = agentName, Weight = request.Weight!.Value, UpdatedBy = user.GetUserId(), UpdatedAt = clock.GetUtcNow().ToUnixMs() };
        await db.InsertOrReplaceAsync(row, token: cancellationToken);
        registry.SetWeights([new(agentName, row.Weight)]);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(new SetAgentWeightResponse(agentName, row.Weight,
            registry.All.Where(a => a.Name == agentName).Select(a => AgentResponse.From(a, now)).ToList()));
    }
}

/// <summary>Loads the weights set through the API before any agent is dispatched to.</summary>
internal sealed class AgentWeightsLoader(Database database, AgentRegistry registry) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => LoadAsync(database, registry, cancellationToken);

    /// <summary>Reads the weights set through the API (again when a replica takes office: another may have changed them).</summary>
    public static async Task LoadAsync(Database database, AgentRegistry registry, CancellationToken cancellationToken)
    {
        await using var db = new TasksDb(database.Options);
        var weights = await db.AgentWeights.ToListAsync(cancellationToken);
        registry.SetWeights(weights.Select(w => new KeyValuePair<string, int>(w.AgentName, w.Weight)));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
