using System.Data.Common;
using GopherCron.Modules.Shared.Data;
using GopherCron.Modules.Shared.Time;
using GopherCron.Modules.Users.Data;
using GopherCron.Modules.Users.Domain;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GopherCron.Modules.Users.Features;

/// <summary>
/// First start: creates <c>admin</c> (GopherCron's well-known first account) when there are no users at all.
/// Runs as a hosted service, so after the host has migrated the schema.
/// </summary>
internal sealed class SeedAdmin(Database database, IConfiguration configuration, TimeProvider clock, ILogger<UsersModule> logger) : IHostedService
{
    public const string Account = "admin";
    public const string DefaultPassword = "123456";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = new UsersDb(database.Options);
        if (await db.Users.AnyAsync(cancellationToken))
        {
            return;
        }

        var password = configuration[UsersOptions.AdminPasswordKey] is { Length: > 0 } configured ? configured : DefaultPassword;
        if (!AccountRules.IsValidPassword(password))
        {
            throw new InvalidOperationException(
                $"{UsersOptions.AdminPasswordKey} must be {AccountRules.PasswordMinLength} to {AccountRules.PasswordMaxLength} characters long.");
        }

        var now = clock.GetUtcNow().ToUnixMs();
        try
        {
            await db.InsertAsync(new UserRow
            {
                Account = Account,
                Name = "Administrator",
                PasswordHash = PasswordHasher.Hash(password),
                IsAdmin = true,
                MustChangePassword = true,
                CreatedAt = now,
                UpdatedAt = now,
            }, token: cancellationToken);
        }
        catch (DbException)
        {
            // Another replica starting at the same moment created it first.
            if (await db.Users.AnyAsync(u => u.Account == Account, cancellationToken))
            {
                return;
            }

            throw;
        }

        logger.AdminSeeded(Account);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
