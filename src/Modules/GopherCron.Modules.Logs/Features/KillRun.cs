using System.Security.Claims;
using GopherCron.Modules.Logs.Contracts;
using GopherCron.Modules.Logs.Data;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Cluster;
using GopherCron.Modules.Shared.Security;
using GopherCron.Modules.Tasks.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GopherCron.Modules.Logs.Features;

internal sealed record KillRunResponse(long RunId, string Outcome);

internal static class KillRun
{
    public static RouteHandlerBuilder MapKillRun(this IEndpointRouteBuilder group) =>
        group.MapPost("/runs/{runId:long}/kill", HandleAsync).WithName(nameof(KillRun)).ServedByLeader();

    private static async Task<IResult> HandleAsync(
        long runId, ClaimsPrincipal user, LogsDb db, IProjectAccess access, IRunControl control, CancellationToken cancellationToken)
    {
        var (run, denied) = await RunAccess.FindAsync(db, access, user, runId, ProjectRole.Manager, cancellationToken);
        if (denied is not null)
        {
            return denied;
        }

        if (RunStatusExtensions.TryParseStatus(run!.Status, out var status) && status.IsTerminal())
        {
            return Problems.Conflict($"Run {runId} has already ended ({run.Status}).");
        }

        var account = user.FindFirst(CallerClaims.Account)?.Value ?? "unknown";
        var outcome = await control.KillAsync(runId, $"killed by {account}", cancellationToken);
        return outcome switch
        {
            KillOutcome.Requested => TypedResults.Accepted($"/api/v1/runs/{runId}", new KillRunResponse(runId, "killing")),
            KillOutcome.KilledBeforeStart => TypedResults.Ok(new KillRunResponse(runId, "killed")),
            _ => Problems.Conflict($"Run {runId} is not in progress on this scheduler."),
        };
    }
}
