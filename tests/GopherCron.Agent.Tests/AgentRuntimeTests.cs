using GopherCron.Agent.Protocol;
using GopherCron.Agent.Tests.Support;
using GopherCron.Plugins.Abstractions;
using GopherCron.Testing;

namespace GopherCron.Agent.Tests;

public sealed class AgentRuntimeTests
{
    [Fact]
    public async Task A_dispatch_from_an_older_leader_term_is_rejected()
    {
        var agent = new AgentHarness();
        var current = AgentHarness.NextRunId();
        var stale = AgentHarness.NextRunId();

        (await agent.RunAsync(AgentHarness.Shell(current, "true", term: 5))).Outcome.ShouldBe(RunOutcome.Succeeded);
        var rejected = await agent.RunAsync(AgentHarness.Shell(stale, "echo should not run", term: 4));

        rejected.Outcome.ShouldBe(RunOutcome.Rejected);
        rejected.Error.ShouldBe("stale leader term 4 < 5");
        agent.Link.For(stale).ShouldHaveSingleItem();
        agent.Runtime.HighestTerm.ShouldBe(5);
    }

    [Fact]
    public async Task A_dispatch_for_an_unknown_executor_is_rejected()
    {
        var agent = new AgentHarness();
        var runId = AgentHarness.NextRunId();

        var finished = await agent.RunAsync(AgentHarness.Dispatch(runId, "nope", "{}"));

        finished.Outcome.ShouldBe(RunOutcome.Rejected);
        finished.Error.ShouldBe("executor 'nope' is not available on agent test-agent");
    }

    [Fact]
    public async Task Executor_kinds_are_matched_case_insensitively()
    {
        var agent = new AgentHarness();
        var runId = AgentHarness.NextRunId();

        var finished = await agent.RunAsync(AgentHarness.Dispatch(runId, "Shell", """{"command": "echo hi"}"""));

        finished.Outcome.ShouldBe(RunOutcome.Succeeded);
        agent.Runtime.Kinds.ShouldContain("shell");
    }

    [Theory]
    [InlineData("{not json", "invalid configuration JSON")]
    [InlineData("""{"command": ""}""", "invalid configuration: command:")]
    [InlineData("""{"command": "ls", "shell": "bash"}""", "invalid configuration: shell:")]
    public async Task A_dispatch_with_a_bad_configuration_is_rejected_with_the_reason(string configuration, string error)
    {
        var agent = new AgentHarness();
        var runId = AgentHarness.NextRunId();

        var finished = await agent.RunAsync(AgentHarness.Dispatch(runId, "shell", configuration));

        finished.Outcome.ShouldBe(RunOutcome.Rejected);
        finished.Error.ShouldStartWith(error);
    }

    [Fact]
    public async Task A_second_dispatch_of_a_running_run_is_ignored()
    {
        var agent = new AgentHarness();
        var runId = AgentHarness.NextRunId();
        var dispatch = AgentHarness.Shell(runId, "sleep 68");

        await agent.Runtime.HandleAsync(dispatch, CancellationToken.None);
        await ProcessTable.WaitUntilRunningAsync("sleep 68");
        await agent.Runtime.HandleAsync(dispatch, CancellationToken.None);
        await agent.Runtime.HandleAsync(dispatch with { Term = 2 }, CancellationToken.None);
        await agent.Runtime.HandleAsync(dispatch with { Term = 0 }, CancellationToken.None);
        await Task.Delay(500);

        ProcessTable.Find("sleep 68").Count.ShouldBe(1);
        await agent.Runtime.HandleAsync(new KillRun(runId, "done"), CancellationToken.None);
        (await agent.Link.FinishedAsync(runId, 30)).Outcome.ShouldBe(RunOutcome.Killed);
        agent.Link.For(runId).OfType<RunStarted>().ShouldHaveSingleItem();
        agent.Link.For(runId).OfType<RunFinished>().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task An_executor_that_throws_fails_the_run_and_the_agent_keeps_working()
    {
        var agent = new AgentHarness();
        agent.Catalog.Register(new FakeExecutor("throws", (_, _, _) => throw new InvalidOperationException("boom")));
        var runId = AgentHarness.NextRunId();

        var finished = await agent.RunAsync(AgentHarness.Dispatch(runId, "throws", "{}"));

        finished.Outcome.ShouldBe(RunOutcome.Failed);
        finished.Error.ShouldBe("boom");
        finished.ExitCode.ShouldBeNull();
        (await agent.RunAsync(AgentHarness.Shell(AgentHarness.NextRunId(), "true"))).Outcome.ShouldBe(RunOutcome.Succeeded);
    }

    [Fact]
    public async Task The_timeout_follows_the_injected_clock_and_an_executor_may_throw_on_cancellation()
    {
        var clock = new FakeClock();
        var agent = new AgentHarness(clock);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.Catalog.Register(new FakeExecutor("waits", async (_, output, ct) =>
        {
            await output.WriteLineAsync("waiting", ct);
            entered.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return ExecutionResult.Succeeded;
        }));
        var runId = AgentHarness.NextRunId();

        await agent.Runtime.HandleAsync(AgentHarness.Dispatch(runId, "waits", "{}", timeoutSeconds: 90), CancellationToken.None);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(89));
        await Task.Delay(200);
        agent.Link.HasFinished(runId).ShouldBeFalse();
        clock.Advance(TimeSpan.FromSeconds(1));
        var finished = await agent.Link.FinishedAsync(runId, 30);

        finished.Outcome.ShouldBe(RunOutcome.TimedOut);
        finished.Error.ShouldBe("timed out after 90s");
        agent.Link.Output(runId).ShouldBe("waiting\n");
        finished.FinishedAt.ShouldBe(clock.GetUtcNow());
    }

    [Fact]
    public async Task Beyond_the_concurrency_limit_a_dispatch_is_rejected()
    {
        var agent = new AgentHarness(options: new AgentOptions { Name = "small", MaxConcurrentRuns = 1 });
        agent.Catalog.Register(new FakeExecutor("waits", async (_, _, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return ExecutionResult.Succeeded;
        }));
        var first = AgentHarness.NextRunId();
        await agent.Runtime.HandleAsync(AgentHarness.Dispatch(first, "waits", "{}"), CancellationToken.None);

        var second = await agent.RunAsync(AgentHarness.Dispatch(AgentHarness.NextRunId(), "waits", "{}"));

        second.Outcome.ShouldBe(RunOutcome.Rejected);
        second.Error.ShouldBe("agent small is at its limit of 1 concurrent runs");
        await agent.Runtime.HandleAsync(new KillRun(first, "enough"), CancellationToken.None);
        (await agent.Link.FinishedAsync(first)).Error.ShouldBe("enough");
    }

    [Fact]
    public async Task Stop_kills_running_runs_waits_for_their_results_and_refuses_new_ones()
    {
        var agent = new AgentHarness();
        var runId = AgentHarness.NextRunId();
        await agent.Runtime.HandleAsync(AgentHarness.Shell(runId, "sleep 67"), CancellationToken.None);
        await ProcessTable.WaitUntilRunningAsync("sleep 67");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await agent.Runtime.StopAsync(timeout.Token);

        agent.Link.HasFinished(runId).ShouldBeTrue();
        var finished = await agent.Link.FinishedAsync(runId);
        finished.Outcome.ShouldBe(RunOutcome.Killed);
        finished.Error.ShouldBe("agent shutting down");
        agent.Runtime.ActiveRunIds.ShouldBeEmpty();
        ProcessTable.Find("sleep 67").ShouldBeEmpty();
        var late = await agent.RunAsync(AgentHarness.Shell(AgentHarness.NextRunId(), "true"));
        late.Outcome.ShouldBe(RunOutcome.Rejected);
        late.Error.ShouldBe("agent test-agent is shutting down");
    }

    [Fact]
    public async Task A_kill_for_a_run_the_agent_does_not_hold_is_ignored()
    {
        var agent = new AgentHarness();
        var runId = AgentHarness.NextRunId();

        await agent.Runtime.HandleAsync(new KillRun(runId, "whatever"), CancellationToken.None);

        agent.Link.For(runId).ShouldBeEmpty();
    }
}
