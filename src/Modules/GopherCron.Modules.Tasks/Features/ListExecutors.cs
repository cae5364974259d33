using System.Security.Claims;
using System.Text.Json;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Cluster;
using GopherCron.Modules.Shared.Security;
using GopherCron.Modules.Tasks.Contracts;
using GopherCron.Modules.Tasks.Dispatching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GopherCron.Modules.Tasks.Features;

/// <param name="Kind">The executor kind tasks name.</param>
/// <param name="DisplayName">From the host's plugin; the kind itself for a kind only agents offer.</param>
/// <param name="Description">From the host's plugin; null for a kind only agents offer.</param>
/// <param name="ConfigurationSchema">The JSON Schema of <c>config</c>; null for a kind only agents offer.</param>
/// <param name="KnownToHost">Whether the host validates this kind's configurations.</param>
/// <param name="Agents">Names of the online agents (serving the project, or projects the caller sees) that offer it.</param>
internal sealed record ExecutorResponse(
    string Kind, string DisplayName, string? Description, JsonElement? ConfigurationSchema, bool KnownToHost, IReadOnlyList<string> Agents);

internal sealed record ExecutorFailureResponse(string Folder, string Reason);

internal sealed record ExecutorsResponse(IReadOnlyList<ExecutorResponse> Executors, IReadOnlyList<ExecutorFailureResponse> Failures);

/// <summary>An online agent, connected here or announced in etcd, reduced to what executor questions need.</summary>
internal sealed record OnlineAgent(string Name, IReadOnlyCollection<string> Executors, IReadOnlyCollection<long>? ProjectIds)
{
    public bool Serves(long projectId) => ProjectIds is null || ProjectIds.Contains(projectId);

    public bool Offers(string kind) => Executors.Contains(kind, StringComparer.OrdinalIgnoreCase);

    /// <summary>The save-time warning for a task of <paramref name="projectId"/> using <paramref name="kind"/>: none when an online agent serving the project offers it.</summary>
    public static IReadOnlyList<string>? Warnings(string kind, long projectId, AgentRegistry registry, EtcdAgentDirectory directory) =>
        All(registry, directory).Any(a => a.Serves(projectId) && a.Offers(kind))
            ? null
            : [$"no online agent of this project offers the '{kind}' executor; its runs will fail until one does"];

    public static IReadOnlyList<OnlineAgent> All(AgentRegistry registry, EtcdAgentDirectory directory)
    {
        var connected = registry.All.Where(a => a.IsConnected).ToList();
        var ids = connected.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        return
        [
            .. connected.Select(a => new OnlineAgent(a.Name, a.Descriptor.Executors, a.Descriptor.ProjectIds)),
            .. directory.Agents.Where(r => !ids.Contains(r.Id)).Select(r => new OnlineAgent(r.Name, r.Executors, r.ProjectIds)),
        ];
    }
}

/// <summary>
/// The executors a client can choose from: every kind the host's plugins provide or an online agent offers, with the
/// host's description and configuration schema, the agents offering it, and the host's plugin folders that failed.
/// </summary>
internal static class ListExecutors
{
    public static IEndpointRouteBuilder MapListExecutors(this IEndpointRouteBuilder api)
    {
        api.MapGet("/executors", HandleAsync).WithName(nameof(ListExecutors)).ServedByLeader();
        return api;
    }

    private static async Task<IResult> HandleAsync(
        long? projectId, ClaimsPrincipal user, IExecutorDirectory executors, AgentRegistry registry, EtcdAgentDirectory directory,
        IProjectAccess access, CancellationToken cancellationToken)
    {
        Func<OnlineAgent, bool> relevant;
        if (projectId is { } id)
        {
            if (await access.GetRoleAsync(id, user, cancellationToken) is null)
            {
                return Problems.NotFound($"Project {id} was not found.");
            }

            relevant = a => a.Serves(id);
        }
        else if (user.IsSystemAdmin())
        {
            relevant = _ => true;
        }
        else
        {
            var visible = (await access.VisibleProjectIdsAsync(user, cancellationToken)).ToHashSet();
            relevant = a => a.ProjectIds is null || a.ProjectIds.Any(visible.Contains);
        }

        var agents = OnlineAgent.All(registry, directory).Where(relevant).ToList();
        var known = executors.Executors.ToDictionary(e => e.Kind, StringComparer.OrdinalIgnoreCase);
        var kinds = known.Keys.Concat(agents.SelectMany(a => a.Executors))
            .Select(k => k.ToLowerInvariant())
            .Distinct()
            .Order(StringComparer.Ordinal);
        var list = kinds.Select(kind =>
        {
            var offering = agents.Where(a => a.Offers(kind)).Select(a => a.Name).Distinct().Order(StringComparer.Ordinal).ToList();
            return known.TryGetValue(kind, out var info)
                ? new ExecutorResponse(info.Kind, info.DisplayName, info.Description, ParseSchema(info.ConfigurationSchema), true, offering)
                : new ExecutorResponse(kind, kind, null, null, false, offering);
        }).ToList();
        var failures = executors.Failures.Select(f => new ExecutorFailureResponse(f.Folder, f.Reason)).ToList();
        return TypedResults.Ok(new ExecutorsResponse(list, failures));
    }

    // A plugin's schema is its author's text: one that is not JSON is passed on as a string rather than failing the list.
    private static JsonElement? ParseSchema(string schema)
    {
        try
        {
            using var document = JsonDocument.Parse(schema);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(schema);
        }
    }
}
