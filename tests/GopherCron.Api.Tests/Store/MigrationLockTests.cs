using GopherCron.Api.Tests.Infrastructure;
using GopherCron.Modules.Shared.Data;
using LinqToDB.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GopherCron.Api.Tests.Store;

/// <summary>Replicas starting together against one empty MySQL/MariaDB store.</summary>
public sealed class MigrationLockTests
{
    [MariaDbFact]
    public async Task Two_replicas_migrating_at_once_apply_each_migration_exactly_once()
    {
        // The modules' real migrations, taken from a real host.
        await using var app = new GopherCronApp();
        var modules = app.Services.GetServices<ModuleMigrations>().ToList();
        var expected = modules.SelectMany(m => m.Migrations.Select(x => $"{m.Module} v{x.Version}")).Order().ToList();
        await using var store = TestDatabase.Create();
        var database = new Database(Options.Create(new DatabaseOptions { Provider = store.Provider, ConnectionString = store.ConnectionString }));
        MigrationRunner Replica() => new(database, modules, TimeProvider.System, NullLogger<MigrationRunner>.Instance);

        using var start = new Barrier(2);
        var both = await Task.WhenAll(
            Task.Run(() => { start.SignalAndWait(); return Replica().MigrateAsync(CancellationToken.None); }),
            Task.Run(() => { start.SignalAndWait(); return Replica().MigrateAsync(CancellationToken.None); }));

        both.SelectMany(applied => applied).Select(m => $"{m.Module} v{m.Version}").Order().ShouldBe(expected);
        await using var db = database.Open();
        var recorded = await db.QueryToListAsync<string>("SELECT CONCAT(module, ' v', version) FROM schema_migrations");
        recorded.Order().ShouldBe(expected);
        (await Replica().MigrateAsync(CancellationToken.None)).ShouldBeEmpty();
    }
}
