using System.Net.Http.Json;
using System.Text.Json;
using GopherCron.Api.Tests.Infrastructure;
using GopherCron.Modules.Logs.Contracts;
using GopherCron.Modules.Shared.Cluster;
using Microsoft.Extensions.DependencyInjection;

namespace GopherCron.Api.Tests.Cluster;

/// <summary>A host of its own: these tests usurp its leadership on purpose.</summary>
public sealed class FencingApp() : GopherCronApp(new Dictionary<string, string?> { ["Tasks:AgentGracePeriod"] = "00:00:00.100" });

/// <summary>The store's fence: a claim made in a term older than the one that took office last creates nothing.</summary>
public sealed class FencingTests(FencingApp app) : IClassFixture<FencingApp>
{
    [Fact]
    public async Task A_later_term_in_the_fence_refuses_older_claims_and_a_lower_term_cannot_take_office()
    {
        var admin = await app.AdminClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(admin);
        var taskId = await admin.CreateTaskIdAsync(project.Id, TaskApi.ShellTask("* * * * * *", "echo fenced"));
        await admin.WaitForRunsAsync(project.Id, taskId, r => r.Any(x => x.Status() == "succeeded"), "the task to run");

        var fence = app.Services.GetRequiredService<LeadershipFence>();
        var ledger = app.Services.GetRequiredService<IRunLedger>();
        var office = (await fence.ReadAsync(CancellationToken.None)).ShouldNotBeNull();
        office.Replica.ShouldBe("standalone");
        var term = office.Term;

        // Another leader takes office in a later term; an earlier term can no longer take it back.
        (await fence.TakeOfficeAsync(term + 10, "10.0.0.9:7306", "http://10.0.0.9:6306", "http://10.0.0.9:6307", CancellationToken.None)).ShouldBeTrue();
        (await fence.TakeOfficeAsync(term + 5, "10.0.0.8:7306", "", "", CancellationToken.None)).ShouldBeFalse();
        (await fence.ReadAsync(CancellationToken.None))!.Replica.ShouldBe("10.0.0.9:7306");

        // A claim in the deposed term creates nothing, even for an instant nobody claimed.
        var instant = DateTimeOffset.UtcNow.AddYears(1);
        var claim = new RunClaim
        {
            ProjectId = project.Id, TaskId = taskId, FireAt = instant, Trigger = RunTrigger.Cron, ScheduledAt = instant, Term = term,
        };
        var refused = await Should.ThrowAsync<DeposedLeaderException>(() => ledger.ClaimAsync([claim], CancellationToken.None));
        refused.Term.ShouldBe(term);
        (await ledger.ClaimAsync([claim with { Term = term + 10 }], CancellationToken.None)).Count.ShouldBe(1, "the current term claims it");

        // The standalone scheduler notices it was deposed and takes office again above the usurper, then fires on.
        var usurped = DateTimeOffset.UtcNow;
        var again = await TaskApi.EventuallyAsync(() => fence.ReadAsync(CancellationToken.None), o => o!.Term > term + 10,
            "the scheduler to take office again", TimeSpan.FromSeconds(20));
        again!.Replica.ShouldBe("standalone");
        await admin.WaitForRunsAsync(project.Id, taskId, r => r.Any(x => x.Status() == "succeeded" && x.ScheduledAt() > usurped.AddSeconds(1)),
            "the task to run again after the scheduler took office anew");

        var cluster = await admin.GetFromJsonAsync<JsonElement>("/api/v1/cluster");
        cluster.GetProperty("office").GetProperty("term").GetInt64().ShouldBe(again.Term);
    }
}
