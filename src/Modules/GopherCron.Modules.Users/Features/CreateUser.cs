using System.Data.Common;
using System.Security.Claims;
using FluentValidation;
using GopherCron.Modules.Shared;
using GopherCron.Modules.Shared.Security;
using GopherCron.Modules.Shared.Time;
using GopherCron.Modules.Shared.Validation;
using GopherCron.Modules.Users.Data;
using GopherCron.Modules.Users.Domain;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace GopherCron.Modules.Users.Features;

internal sealed record CreateUserRequest(string Account, string Name, string Password, bool IsAdmin);

internal sealed class CreateUserValidator : AbstractValidator<CreateUserRequest>
{
    public CreateUserValidator()
    {
        RuleFor(r => r.Account).ValidAccount();
        RuleFor(r => r.Name).ValidName();
        RuleFor(r => r.Password).ValidPassword();
    }
}

internal static class CreateUser
{
    public static RouteHandlerBuilder MapCreateUser(this IEndpointRouteBuilder users) =>
        users.MapPost("/", HandleAsync)
            .WithName(nameof(CreateUser))
            .WithValidation<CreateUserRequest>();

    private static async Task<Results<Created<UserResponse>, ProblemHttpResult>> HandleAsync(
        CreateUserRequest request, ClaimsPrincipal caller, UsersDb db, TimeProvider clock, ILogger<UsersModule> logger, CancellationToken ct)
    {
        var account = AccountRules.Normalize(request.Account);
        if (await db.Users.AnyAsync(u => u.Account == account, ct))
        {
            return AccountTaken(account);
        }

        var now = clock.GetUtcNow().ToUnixMs();
        var row = new UserRow
        {
            Account = account,
            Name = request.Name.Trim(),
            PasswordHash = PasswordHasher.Hash(request.Password),
            IsAdmin = request.IsAdmin,

            // The administrator chose this password and knows it: the owner should replace it (reported, not enforced).
            MustChangePassword = true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        try
        {
            row.Id = await db.InsertWithInt64IdentityAsync(row, token: ct);
        }
        catch (DbException)
        {
            // Lost a race with a concurrent create of the same account: the unique index decided.
            if (await db.Users.AnyAsync(u => u.Account == account, ct))
            {
                return AccountTaken(account);
            }

            throw;
        }

        logger.UserCreated(row.Id, account, caller.GetUserId());
        return TypedResults.Created($"/api/v1/users/{row.Id}", UserResponse.From(row));
    }

    private static ProblemHttpResult AccountTaken(string account) => Problems.Conflict($"The account '{account}' already exists.");
}
