using System.Security.Claims;
using GopherCron.Modules.Logs.Data;
using GopherCron.Modules.Projects.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GopherCron.Modules.Logs.Features;

internal static class GetRun
{
    public static RouteHandlerBuilder MapGetRun(this IEndpointRouteBuilder group) =>
        group.MapGet("/runs/{runId:long}", HandleAsync).WithName(nameof(GetRun));

    private static async Task<IResult> HandleAsync(long runId, ClaimsPrincipal user, LogsDb db, IProjectAccess access, CancellationToken cancellationToken)
    {
        var (run, denied) = await RunAccess.FindAsync(db, access, user, runId, ProjectRole.Viewer, cancellationToken);
        return denied ?? TypedResults.Ok(RunResponse.From(run!));
    }
}
