using FluentValidation;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Validation;
using GopherCron.Modules.Tasks.Data;
using GopherCron.Modules.Tasks.Dispatching;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace GopherCron.Modules.Tasks.Features;

internal sealed record ListTasksQuery(int? Page, int? PageSize, string? Search)
{
    public static ValueTask<ListTasksQuery?> BindAsync(HttpContext context)
    {
        var q = context.Request.Query;
        return ValueTask.FromResult<ListTasksQuery?>(new(ParseInt(q["page"]), ParseInt(q["pageSize"]), q["search"].FirstOrDefault()));
    }

    // A non-numeric value becomes int.MinValue so that the validator reports it on the right field.
    private static int? ParseInt(StringValues value) => value.Count == 0 ? null : int.TryParse(value[0], out var n) ? n : int.MinValue;
}

internal sealed class ListTasksQueryValidator : AbstractValidator<ListTasksQuery>
{
    public ListTasksQueryValidator()
    {
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1).When(q => q.Page is not null).WithMessage("page must be a whole number of at least 1.");
        RuleFor(q => q.PageSize).InclusiveBetween(1, PageQuery.MaxPageSize).When(q => q.PageSize is not null)
            .WithMessage($"pageSize must be a whole number from 1 to {PageQuery.MaxPageSize}.");
        RuleFor(q => q.Search).MaximumLength(100);
    }
}

internal static class ListTasks
{
    public static RouteHandlerBuilder MapListTasks(this IEndpointRouteBuilder group) =>
        group.MapGet("/", HandleAsync)
            .WithName(nameof(ListTasks))
            .RequireProjectRole(ProjectRole.Viewer)
            .WithValidation<ListTasksQuery>();

    private static async Task<IResult> HandleAsync(
        long projectId, ListTasksQuery query, TasksDb db, Dispatcher dispatcher, IOptions<TasksOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var tasks = db.Tasks.Where(t => t.ProjectId == projectId);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var search = query.Search.Trim();
            tasks = tasks.Where(t => t.Name.Contains(search));
        }

        var paging = new PageQuery(query.Page, query.PageSize);
        var total = await tasks.LongCountAsync(cancellationToken);
        var rows = await tasks.OrderBy(t => t.Name).Skip(paging.Skip).Take(paging.PageSizeOrDefault).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var active = await dispatcher.ActiveRunCountsAsync([.. rows.Select(r => r.Id)], cancellationToken);
        var items = rows.Select(r => TaskResponse.From(r, options.Value, now, active(r.Id))).ToList();
        return TypedResults.Ok(new PagedList<TaskResponse>(items, paging.PageOrDefault, paging.PageSizeOrDefault, total));
    }
}
