using System.Security.Claims;
using FluentValidation;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Projects.Data;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Security;
using GopherCron.Modules.Shared.Validation;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GopherCron.Modules.Projects.Features;

internal sealed record ListProjectsQuery(int? Page, int? PageSize, string? Search)
{
    public PageQuery Paging => new(Page, PageSize);
}

internal sealed class ListProjectsValidator : AbstractValidator<ListProjectsQuery>
{
    public ListProjectsValidator()
    {
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1).When(q => q.Page is not null);
        RuleFor(q => q.PageSize).InclusiveBetween(1, PageQuery.MaxPageSize).When(q => q.PageSize is not null);
        RuleFor(q => q.Search).MaximumLength(ProjectRules.NameMaxLength);
    }
}

internal static class ListProjects
{
    public static RouteHandlerBuilder MapListProjects(this IEndpointRouteBuilder projects) =>
        projects.MapGet("/", HandleAsync)
            .WithName(nameof(ListProjects))
            .WithValidation<ListProjectsQuery>();

    private static async Task<Ok<PagedList<ProjectResponse>>> HandleAsync(
        [AsParameters] ListProjectsQuery query, ClaimsPrincipal caller, ProjectsDb db, CancellationToken ct)
    {
        var userId = caller.GetUserId();
        var visible = caller.IsSystemAdmin()
            ? from p in db.Projects select new { Project = p, Role = (int)ProjectRole.Admin }
            : from m in db.Members
              join p in db.Projects on m.ProjectId equals p.Id
              where m.UserId == userId
              select new { Project = p, m.Role };
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var search = query.Search.Trim();
            visible = visible.Where(x => x.Project.Name.Contains(search));
        }

        var paging = query.Paging;
        var total = await visible.LongCountAsync(ct);
        var page = await visible.OrderBy(x => x.Project.Id).Skip(paging.Skip).Take(paging.PageSizeOrDefault).ToListAsync(ct);
        return TypedResults.Ok(new PagedList<ProjectResponse>(
            page.ConvertAll(x => ProjectResponse.From(x.Project, x.Role)), paging.PageOrDefault, paging.PageSizeOrDefault, total));
    }
}
