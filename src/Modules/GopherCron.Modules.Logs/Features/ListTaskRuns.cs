using FluentValidation;
using GopherCron.Modules.Logs.Contracts;
using GopherCron.Modules.Logs.Data;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Validation;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GopherCron.Modules.Logs.Features;

internal sealed record ListTaskRunsQuery(int? Page, int? PageSize, string? Status)
{
    public static ValueTask<ListTaskRunsQuery?> BindAsync(HttpContext context)
    {
        var q = context.Request.Query;
        return ValueTask.FromResult<ListTaskRunsQuery?>(new(ParseInt(q["page"]), ParseInt(q["pageSize"]), q["status"].FirstOrDefault()));
    }

    // A non-numeric value becomes int.MinValue so that the validator reports it on the right field.
    private static int? ParseInt(Microsoft.Extensions.Primitives.StringValues value) =>
        value.Count == 0 ? null : int.TryParse(value[0], out var n) ? n : int.MinValue;

    public PageQuery Paging => new(Page, PageSize);
}

internal sealed class ListTaskRunsValidator : AbstractValidator<ListTaskRunsQuery>
{
    public ListTaskRunsValidator()
    {
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1).When(q => q.Page is not null).WithMessage("page must be a whole number of at least 1.");
        RuleFor(q => q.PageSize).InclusiveBetween(1, PageQuery.MaxPageSize).When(q => q.PageSize is not null)
            .WithMessage($"pageSize must be a whole number from 1 to {PageQuery.MaxPageSize}.");
        RuleFor(q => q.Status).Must(s => RunStatusExtensions.TryParseStatus(s, out _)).When(q => q.Status is not null)
            .WithMessage("status must be one of pending, running, succeeded, failed, timedOut, killed, skipped, lost.");
    }
}

internal static class ListTaskRuns
{
    public static IEndpointRouteBuilder MapListTaskRuns(this IEndpointRouteBuilder group)
    {
        group.MapGet("/projects/{projectId:long}/tasks/{taskId:long}/runs",
                (long projectId, long taskId, ListTaskRunsQuery query, LogsDb db, CancellationToken ct) => HandleAsync(projectId, taskId, query, db, ct))
            .WithName(nameof(ListTaskRuns))
            .RequireProjectRole(ProjectRole.Viewer)
            .WithValidation<ListTaskRunsQuery>();

        // Every run of the project (the admin UI's run history), newest first.
        group.MapGet("/projects/{projectId:long}/runs",
                (long projectId, ListTaskRunsQuery query, LogsDb db, CancellationToken ct) => HandleAsync(projectId, null, query, db, ct))
            .WithName("ListProjectRuns")
            .RequireProjectRole(ProjectRole.Viewer)
            .WithValidation<ListTaskRunsQuery>();
        return group;
    }

    private static async Task<Ok<PagedList<RunResponse>>> HandleAsync(
        long projectId, long? taskId, ListTaskRunsQuery query, LogsDb db, CancellationToken cancellationToken)
    {
        var runs = db.Runs.Where(r => r.ProjectId == projectId);
        if (taskId is not null)
        {
            runs = runs.Where(r => r.TaskId == taskId);
        }

        if (query.Status is not null && RunStatusExtensions.TryParseStatus(query.Status, out var status))
        {
            var wire = status.ToWire();
            runs = runs.Where(r => r.Status == wire);
        }

        var paging = query.Paging;
        var total = await runs.LongCountAsync(cancellationToken);
        var page = await runs.OrderByDescending(r => r.Id).Skip(paging.Skip).Take(paging.PageSizeOrDefault).ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedList<RunResponse>(page.Select(RunResponse.From).ToList(), paging.PageOrDefault, paging.PageSizeOrDefault, total));
    }
}
