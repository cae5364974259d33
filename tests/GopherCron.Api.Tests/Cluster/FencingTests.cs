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

    [Fact]
    public async Task A_new_term_sends_a_claimed_run_its_agent_never_received_and_loses_one_meant_for_another_agent_process()
    {
        var admin = await app.AdminClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(admin);
        var ticker = await admin.CreateTaskIdAsync(project.Id, TaskApi.ShellTask("* * * * * *", "echo tick"));
        await admin.WaitForRunsAsync(project.Id, ticker, r => r.Any(x => x.Status() == "succeeded"), "the ticker to run");
        var paused = await admin.CreateTaskIdAsync(project.Id, TaskApi.ShellTask("0 0 1 1 *", "echo resent", extra: new { enabled = false }));
        var agent = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/agents")).EnumerateArray().Single();
        var (agentName, agentId) = (agent.GetProperty("name").GetString()!, agent.GetProperty("id").GetString()!);

        // Two fires claimed in the current term and never sent, as when a leader dies between its claim and its dispatch:
        // one for the agent process that is connected, one for an earlier process of the same agent.
        var fence = app.Services.GetRequiredService<LeadershipFence>();
        var ledger = app.Services.GetRequiredService<IRunLedger>();
        var term = (await fence.ReadAsync(CancellationToken.None))!.Term;
        var at = DateTimeOffset.UtcNow;
        RunClaim Claim(DateTimeOffset instant, string id) => new()
        {
            ProjectId = project.Id, TaskId = paused, FireAt = instant, Trigger = RunTrigger.Cron, ScheduledAt = instant, Term = term,
            Agent = agentName, AgentId = id,
        };
        var claimed = await ledger.ClaimAsync([Claim(at, agentId), Claim(at.AddMilliseconds(1), agentName + "#gone")], CancellationToken.None);
        claimed.Count.ShouldBe(2);

        // A later leader takes office (the standalone scheduler then takes it back above it) and settles them.
        (await fence.TakeOfficeAsync(term + 10, "10.0.0.9:7306", "", "", CancellationToken.None)).ShouldBeTrue();
        var sent = await admin.WaitForEndAsync(claimed[0].RunId);
        sent.Status().ShouldBe("succeeded");
        (await admin.OutputAsync(claimed[0].RunId)).ShouldBe("resent\n");
        var other = await admin.WaitForEndAsync(claimed[1].RunId);
        other.Status().ShouldBe("lost");
        other.Error()!.ShouldContain("no agent holds this run");
    }
}
