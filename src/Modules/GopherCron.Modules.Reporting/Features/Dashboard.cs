using System.Globalization;
using System.Security.Claims;
using FluentValidation;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Shared.Security;
using GopherCron.Modules.Shared.Validation;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GopherCron.Modules.Reporting.Features;

/// <param name="Days">How many days back, today included (1–90, default 14).</param>
/// <param name="UtcOffsetMinutes">Where a day starts, as the caller's offset from UTC in minutes (−840..840, default 0).</param>
internal sealed record DashboardQuery(int? Days, int? UtcOffsetMinutes)
{
    public static ValueTask<DashboardQuery?> BindAsync(HttpContext context)
    {
        var q = context.Request.Query;
        return ValueTask.FromResult<DashboardQuery?>(new(ParseInt(q["days"]), ParseInt(q["utcOffsetMinutes"])));
    }

    // A non-numeric value becomes int.MinValue so that the validator reports it on the right field.
    private static int? ParseInt(Microsoft.Extensions.Primitives.StringValues value) =>
        value.Count == 0 ? null : int.TryParse(value[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : int.MinValue;
}

internal sealed class DashboardQueryValidator : AbstractValidator<DashboardQuery>
{
    public DashboardQueryValidator()
    {
        RuleFor(q => q.Days).InclusiveBetween(1, 90).When(q => q.Days is not null).WithMessage("days must be a whole number from 1 to 90.");
        RuleFor(q => q.UtcOffsetMinutes).InclusiveBetween(-840, 840).When(q => q.UtcOffsetMinutes is not null)
            .WithMessage("utcOffsetMinutes must be a whole number from -840 to 840.");
    }
}

/// <summary>Runs that ended on one day, by status (every status that occurred is a key).</summary>
internal sealed record DayRuns(string Date, IReadOnlyDictionary<string, long> Runs);

internal sealed record ProjectTasks(long ProjectId, string ProjectName, int Tasks, int Enabled);

internal sealed record FailedRun(long RunId, long ProjectId, string ProjectName, long TaskId, string TaskName, string Status, string Trigger,
    string? Agent, int? ExitCode, string? Error, DateTimeOffset? FinishedAt);

internal sealed record DashboardResponse(IReadOnlyList<DayRuns> Days, IReadOnlyList<ProjectTasks> TasksPerProject, IReadOnlyList<FailedRun> RecentFailures);

/// <summary><c>GET /api/v1/reports/dashboard</c>: runs per day by status, tasks per project, the latest failures.</summary>
internal static class Dashboard
{
    private const long DayMs = 86_400_000;
    private const int FailureCount = 10;
    private static readonly string[] FailedStatuses = ["failed", "timedOut", "lost"];

    public static RouteHandlerBuilder MapDashboard(this IEndpointRouteBuilder api) =>
        api.MapGet("/reports/dashboard", HandleAsync).WithName(nameof(Dashboard)).WithValidation<DashboardQuery>();

    private static async Task<Ok<DashboardResponse>> HandleAsync(
        DashboardQuery query, ClaimsPrincipal user, IProjectAccess access, ReportingDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var admin = user.IsSystemAdmin();
        var visible = admin ? [] : (await access.VisibleProjectIdsAsync(user, cancellationToken)).ToList();
        var days = query.Days ?? 14;
        var offsetMs = (query.UtcOffsetMinutes ?? 0) * 60_000L;

        // Day boundaries in the caller's local time, expressed in UTC milliseconds.
        var nowLocal = clock.GetUtcNow().ToUnixTimeMilliseconds() + offsetMs;
        var firstDayLocal = nowLocal - (nowLocal % DayMs) - (days - 1) * DayMs;
        var from = firstDayLocal - offsetMs;

        var runs = db.Runs.Where(r => r.ScheduledAt >= from);
        var tasks = db.Tasks.AsQueryable();
        var projects = db.Projects.AsQueryable();
        if (!admin)
        {
            runs = runs.Where(r => visible.Contains(r.ProjectId));
            tasks = tasks.Where(t => visible.Contains(t.ProjectId));
            projects = projects.Where(p => visible.Contains(p.Id));
        }

        var perDay = await runs
            .GroupBy(r => new { Day = r.ScheduledAt + offsetMs - ((r.ScheduledAt + offsetMs) % DayMs), r.Status })
            .Select(g => new { g.Key.Day, g.Key.Status, Count = g.LongCount() })
            .ToListAsync(cancellationToken);

        // Modulo, not division: it stays an integer in every SQL dialect.
        var dayList = new List<DayRuns>(days);
        for (var d = 0; d < days; d++)
        {
            var date = DateTimeOffset.FromUnixTimeMilliseconds(firstDayLocal + d * DayMs).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var dayStart = firstDayLocal + d * DayMs;
            var counts = perDay.Where(r => r.Day == dayStart).ToDictionary(r => r.Status, r => r.Count, StringComparer.Ordinal);
            dayList.Add(new DayRuns(date, counts));
        }

        var projectNames = await projects.ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var taskCounts = await tasks.GroupBy(t => t.ProjectId)
            .Select(g => new { ProjectId = g.Key, Tasks = g.Count(), Enabled = g.Count(t => t.Enabled) })
            .ToListAsync(cancellationToken);
        var perProject = projectNames
            .Select(p => taskCounts.FirstOrDefault(c => c.ProjectId == p.Key) is { } c
                ? new ProjectTasks(p.Key, p.Value, c.Tasks, c.Enabled)
                : new ProjectTasks(p.Key, p.Value, 0, 0))
            .OrderByDescending(p => p.Tasks).ThenBy(p => p.ProjectName, StringComparer.Ordinal)
            .ToList();

        var failed = await runs.Where(r => FailedStatuses.Contains(r.Status))
            .OrderByDescending(r => r.Id).Take(FailureCount).ToListAsync(cancellationToken);
        var taskIds = failed.Select(r => r.TaskId).Distinct().ToList();
        var taskNames = await db.Tasks.Where(t => taskIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var failures = failed.Select(r => new FailedRun(
            r.Id, r.ProjectId, projectNames.GetValueOrDefault(r.ProjectId, ""), r.TaskId, taskNames.GetValueOrDefault(r.TaskId, ""),
            r.Status, r.Trigger, r.Agent, r.ExitCode, r.Error,
            r.FinishedAt is { } f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : null)).ToList();

        return TypedResults.Ok(new DashboardResponse(dayList, perProject, failures));
    }
}
