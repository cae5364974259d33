using System.Security.Claims;
using GopherCron.Modules.Logs.Data;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Shared;
using LinqToDB.Async;
using Microsoft.AspNetCore.Http;

namespace GopherCron.Modules.Logs.Features;

/// <summary>Finds a run the caller may see: a run of a project the caller is not a member of does not exist for them.</summary>
internal static class RunAccess
{
    public static async Task<(RunRow? Run, IResult? Denied)> FindAsync(
        LogsDb db, IProjectAccess access, ClaimsPrincipal user, long runId, ProjectRole minimum, CancellationToken cancellationToken)
    {
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        var role = run is null ? null : await access.GetRoleAsync(run.ProjectId, user, cancellationToken);
        if (run is null || role is null)
        {
            return (null, Problems.NotFound($"Run {runId} does not exist or you are not a member of its project."));
        }

        if (role < minimum)
        {
            return (null, Problems.Forbidden($"This needs the {minimum.ToString().ToLowerInvariant()} role in project {run.ProjectId}."));
        }

        return (run, null);
    }
}
