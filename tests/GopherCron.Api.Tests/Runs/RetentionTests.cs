using System.Net;
using GopherCron.Api.Tests.Infrastructure;
using GopherCron.Modules.Logs.Data;
using GopherCron.Modules.Logs.Retention;
using GopherCron.Modules.Shared.Data;
using GopherCron.Modules.Shared.Time;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GopherCron.Api.Tests.Runs;

/// <summary>
/// Ended runs older than <c>Logs:RetentionDays</c> are purged with their output. Nothing ages runs quickly through the
/// API, so the test back-dates some runs in the store and runs the host's own purge.
/// </summary>
public sealed class OneDayRetentionApp() : GopherCronApp(new Dictionary<string, string?> { ["Logs:RetentionDays"] = "1" });

public sealed class RetentionTests(OneDayRetentionApp app) : IClassFixture<OneDayRetentionApp>
{
    [Fact]
    public async Task Ended_runs_older_than_the_retention_disappear_with_their_output_and_recent_ones_stay()
    {
        var (_, client) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(client);
        var taskId = await client.CreateTaskIdAsync(project.Id, TaskApi.ShellTask("0 0 1 1 *", "echo kept for a while"));
        var longTask = await client.CreateTaskIdAsync(project.Id, TaskApi.ShellTask("0 0 1 1 *", "sleep 47"));
        var runs = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            runs.Add(await client.RunNowAsync(project.Id, taskId));
        }

        foreach (var run in runs)
        {
            await client.WaitForEndAsync(run);
            (await client.OutputAsync(run)).ShouldBe("kept for a while\n");
        }

        var running = await client.RunNowAsync(project.Id, longTask);
        await client.WaitForStatusAsync(running, "running");
        long[] old = [runs[0], runs[2], running];
        await BackdateAsync(old, TimeSpan.FromDays(2));
        await BackdateAsync([runs[3]], TimeSpan.FromHours(20));

        var purged = await PurgeAsync();

        purged.ShouldBeGreaterThanOrEqualTo(2);
        foreach (var run in new[] { runs[0], runs[2] })
        {
            await (await client.GetAsync($"/api/v1/runs/{run}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
            await (await client.GetAsync($"/api/v1/runs/{run}/output")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        (await OutputRowsAsync(runs[0], runs[2])).ShouldBe(0);
        foreach (var run in new[] { runs[1], runs[3] })
        {
            (await client.RunAsync(run)).Status().ShouldBe("succeeded");
            (await client.OutputAsync(run)).ShouldBe("kept for a while\n");
        }

        // A run still in progress is never purged, however old its fire.
        (await client.RunAsync(running)).Status().ShouldBe("running");
        (await client.RunsAsync(project.Id, taskId)).Select(r => r.Id()).ShouldBe([runs[1], runs[3]]);
        await client.PostAsync($"/api/v1/runs/{running}/kill", null);
    }

    private async Task BackdateAsync(long[] runIds, TimeSpan age)
    {
        await using var db = new LogsDb(app.Services.GetRequiredService<Database>().Options);
        var at = (DateTimeOffset.UtcNow - age).ToUnixMs();
        var updated = await db.Runs.Where(r => runIds.Contains(r.Id)).Set(r => r.ScheduledAt, at).UpdateAsync();
        updated.ShouldBe(runIds.Length);
    }

    private async Task<long> OutputRowsAsync(params long[] runIds)
    {
        await using var db = new LogsDb(app.Services.GetRequiredService<Database>().Options);
        return await db.Output.Where(o => runIds.Contains(o.RunId)).LongCountAsync();
    }

    private Task<long> PurgeAsync() =>
        app.Services.GetServices<IHostedService>().OfType<RetentionPurge>().Single().PurgeAsync(CancellationToken.None);
}
