using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Validation;
using GopherCron.Modules.Users.Data;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GopherCron.Modules.Users.Features;

internal static class ListUsers
{
    public static RouteHandlerBuilder MapListUsers(this IEndpointRouteBuilder users) =>
        users.MapGet("/", HandleAsync)
            .WithName(nameof(ListUsers))
            .WithValidation<PageQuery>();

    private static async Task<Ok<PagedList<UserResponse>>> HandleAsync([AsParameters] PageQuery query, UsersDb db, CancellationToken ct)
    {
        var total = await db.Users.LongCountAsync(ct);
        var rows = await db.Users.OrderBy(u => u.Id).Skip(query.Skip).Take(query.PageSizeOrDefault).ToListAsync(ct);
        return TypedResults.Ok(new PagedList<UserResponse>(rows.ConvertAll(UserResponse.From), query.PageOrDefault, query.PageSizeOrDefault, total));
    }
}
