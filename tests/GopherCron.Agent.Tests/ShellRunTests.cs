using GopherCron.Testing;
using System.Diagnostics;
using GopherCron.Agent.Protocol;
using GopherCron.Agent.Tests.Support;

namespace GopherCron.Agent.Tests;

/// <summary>
/// Real shell runs through the agent runtime and the shell plugin loaded from plugins/shell/.
/// Every test that scans /proc uses its own sleep duration, so tests running in parallel cannot confuse each other.
/// </summary>
public sealed class ShellRunTests
{
    private readonly AgentHarness _agent = new();

    [Fact]
    public async Task Stdout_and_stderr_arrive_interleaved_in_the_order_written()
    {
        var runId = AgentHarness.NextRunId();

        var finished = await _agent.RunAsync(AgentHarness.Shell(runId, "echo hello; echo err >&2; echo bye"));

        finished.Outcome.ShouldBe(RunOutcome.Succeeded);
        finished.ExitCode.ShouldBe(0);
        finished.Error.ShouldBeNull();
        _agent.Link.Output(runId).ShouldBe("hello\nerr\nbye\n");
    }

    [Fact]
    public async Task Messages_are_started_then_numbered_output_then_one_finished()
    {
        var runId = AgentHarness.NextRunId();

        await _agent.RunAsync(AgentHarness.Shell(runId, "echo a; sleep 0.3; echo b"));

        var messages = _agent.Link.For(runId);
        messages[0].ShouldBeOfType<RunStarted>();
        messages[^1].ShouldBeOfType<RunFinished>();
        messages.OfType<RunFinished>().Count().ShouldBe(1);
        messages.OfType<RunOutput>().Select(o => o.Sequence)
            .ShouldBe(Enumerable.Range(1, messages.OfType<RunOutput>().Count()).Select(i => (long)i));
    }

    [Fact]
    public async Task A_non_zero_exit_code_fails_the_run()
    {
        var runId = AgentHarness.NextRunId();

        var finished = await _agent.RunAsync(AgentHarness.Shell(runId, "echo about to fail; exit 3"));

        finished.Outcome.ShouldBe(RunOutcome.Failed);
        finished.ExitCode.ShouldBe(3);
        finished.Error.ShouldBe("exit code 3");
    }

    [Fact]
    public async Task Death_by_signal_is_reported_as_128_plus_the_signal()
    {
        var runId = AgentHarness.NextRunId();

        var finished = await _agent.RunAsync(AgentHarness.Shell(runId, "kill -9 $$"));

        finished.Outcome.ShouldBe(RunOutcome.Failed);
        finished.ExitCode.ShouldBe(137);
    }

    [Fact]
    public async Task The_run_variables_and_the_task_environment_reach_the_command()
    {
        var runId = AgentHarness.NextRunId();
        var command = "echo \"$GOPHERCRON_TASK_ID|$GOPHERCRON_PROJECT_ID|$GOPHERCRON_RUN_ID|$GOPHERCRON_SCHEDULED_AT|$GOPHERCRON_ATTEMPT|$GREETING\"";

        var finished = await _agent.RunAsync(AgentHarness.Shell(runId, command,
            extraConfig: """, "environment": {"GREETING": "hi there", "GOPHERCRON_RUN_ID": "forged"}"""));

        finished.Outcome.ShouldBe(RunOutcome.Succeeded);
        _agent.Link.Output(runId).ShouldBe($"42|7|{runId}|2026-03-01T12:30:00.000Z|2|hi there\n");
    }

    [Fact]
    public async Task Working_directory_and_shell_from_the_configuration_are_used()
    {
        var runId = AgentHarness.NextRunId();

        var finished = await _agent.RunAsync(AgentHarness.Shell(runId, "pwd; echo ${BASH_VERSION:+bash}",
            extraConfig: """, "workingDirectory": "/tmp", "shell": "/bin/bash" """));

        finished.Outcome.ShouldBe(RunOutcome.Succeeded);
        _agent.Link.Output(runId).ShouldBe("/tmp\nbash\n");
    }

    [Fact]
    public async Task Output_streams_while_the_command_is_still_running()
    {
        var runId = AgentHarness.NextRunId();

        await _agent.Runtime.HandleAsync(AgentHarness.Shell(runId, "echo one; sleep 3; echo two"), CancellationToken.None);
        await _agent.Link.WaitForOutputAsync(runId, "one\n");

        _agent.Link.HasFinished(runId).ShouldBeFalse();
        _agent.Link.Output(runId).ShouldNotContain("two");
        (await _agent.Link.FinishedAsync(runId)).Outcome.ShouldBe(RunOutcome.Succeeded);
        _agent.Link.Output(runId).ShouldBe("one\ntwo\n");
    }

    [Fact]
    public async Task Partial_lines_stream_without_waiting_for_a_newline()
    {
        var runId = AgentHarness.NextRunId();

        await _agent.Runtime.HandleAsync(AgentHarness.Shell(runId, "printf 'progress 50%%'; sleep 3; echo ' done'"), CancellationToken.None);
        await _agent.Link.WaitForOutputAsync(runId, "progress 50%");

        _agent.Link.HasFinished(runId).ShouldBeFalse();
        await _agent.Link.FinishedAsync(runId);
        _agent.Link.Output(runId).ShouldBe("progress 50% done\n");
    }

    [Fact]
    public async Task Multibyte_utf8_survives_even_when_a_character_is_split_across_reads()
    {
        var runId = AgentHarness.NextRunId();

        var finished = await _agent.RunAsync(AgentHarness.Shell(runId,
            "echo 你好; printf '\\344'; sleep 0.5; printf '\\275\\240\\n'; printf '\\360\\237\\246\\253\\n'"));

        finished.Outcome.ShouldBe(RunOutcome.Succeeded);
        _agent.Link.Output(runId).ShouldBe("你好\n你\n🦫\n");
    }

    [Fact]
    public async Task The_shell_is_a_session_and_group_leader_and_a_direct_child_of_the_agent()
    {
        var runId = AgentHarness.NextRunId();

        // $PPID == our pid proves setsid exec'd in place rather than forking, so the pid the executor holds is the
        // shell's, and fields 5 and 6 of /proc/<pid>/stat (pgrp, session) prove it leads its own group and session.
        var finished = await _agent.RunAsync(AgentHarness.Shell(runId, "echo \"$$ $PPID $(cut -d' ' -f5,6 /proc/$$/stat)\""));

        finished.Outcome.ShouldBe(RunOutcome.Succeeded);
        var fields = _agent.Link.Output(runId).Trim().Split(' ');
        fields[1].ShouldBe(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        fields[2].ShouldBe(fields[0]);
        fields[3].ShouldBe(fields[0]);
    }

    [Fact]
    public async Task Kill_stops_the_whole_process_tree()
    {
        var runId = AgentHarness.NextRunId();
        await _agent.Runtime.HandleAsync(AgentHarness.Shell(runId, "sleep 61 & sleep 62; wait"), CancellationToken.None);
        await ProcessTable.WaitUntilRunningAsync("sleep 61");
        await ProcessTable.WaitUntilRunningAsync("sleep 62");

        await _agent.Runtime.HandleAsync(new KillRun(runId, "killed by admin"), CancellationToken.None);
        var finished = await _agent.Link.FinishedAsync(runId, 30);

        finished.Outcome.ShouldBe(RunOutcome.Killed);
        finished.Error.ShouldBe("killed by admin");
        ProcessTable.Find("sleep 61").ShouldBeEmpty();
        ProcessTable.Find("sleep 62").ShouldBeEmpty();
        ProcessTable.OurZombies().ShouldBeEmpty();
        _agent.Runtime.ActiveRunIds.ShouldNotContain(runId);
    }

    [Fact]
    public async Task A_kill_right_as_the_command_starts_stops_it_even_before_it_leads_its_group()
    {
        // The kill lands anywhere from before the start to just after it, including the moment between the fork and
        // setsid, when the child's group does not exist yet: each must end the run, not wait for the command.
        for (var i = 0; i < 16; i++)
        {
            var runId = AgentHarness.NextRunId();
            await _agent.Runtime.HandleAsync(AgentHarness.Shell(runId, "sleep 47"), CancellationToken.None);
            var started = System.Diagnostics.Stopwatch.StartNew();
            while (!_agent.Link.For(runId).OfType<RunStarted>().Any() && started.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.SpinWait(50);
            }

            Thread.SpinWait(i * 4_000);
            await _agent.Runtime.HandleAsync(new KillRun(runId, "kill at start"), CancellationToken.None);
            var finished = await _agent.Link.FinishedAsync(runId, 15);
            finished.Outcome.ShouldBe(RunOutcome.Killed, $"attempt {i}");
        }

        ProcessTable.Find("sleep 47").ShouldBeEmpty();
    }

    [Fact]
    public async Task Timeout_stops_the_whole_process_tree()
    {
        var runId = AgentHarness.NextRunId();

        var finished = await _agent.RunAsync(AgentHarness.Shell(runId, "sleep 64 & sleep 65; wait", timeoutSeconds: 1), 30);

        finished.Outcome.ShouldBe(RunOutcome.TimedOut);
        finished.Error.ShouldBe("timed out after 1s");
        ProcessTable.Find("sleep 64").ShouldBeEmpty();
        ProcessTable.Find("sleep 65").ShouldBeEmpty();
    }

    [Fact]
    public async Task A_command_ignoring_sigterm_is_killed_after_the_grace_period()
    {
        var runId = AgentHarness.NextRunId();
        await _agent.Runtime.HandleAsync(AgentHarness.Shell(runId, "trap '' TERM; sleep 69 & trap '' TERM; echo armed; wait"), CancellationToken.None);
        await _agent.Link.WaitForOutputAsync(runId, "armed");
        await ProcessTable.WaitUntilRunningAsync("sleep 69");

        await _agent.Runtime.HandleAsync(new KillRun(runId, "stop"), CancellationToken.None);
        var finished = await _agent.Link.FinishedAsync(runId, 30);

        finished.Outcome.ShouldBe(RunOutcome.Killed);
        ProcessTable.Find("sleep 69").ShouldBeEmpty();
    }

    [Fact]
    public async Task Processes_left_behind_by_a_finished_command_are_stopped_and_do_not_hold_the_run()
    {
        var runId = AgentHarness.NextRunId();
        var clock = Stopwatch.StartNew();

        var finished = await _agent.RunAsync(AgentHarness.Shell(runId, "sleep 63 & echo done"), 30);

        finished.Outcome.ShouldBe(RunOutcome.Succeeded);
        _agent.Link.Output(runId).ShouldBe("done\n");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
        ProcessTable.Find("sleep 63").ShouldBeEmpty();
    }

    [Fact]
    public async Task A_process_that_escaped_the_group_cannot_hold_the_run_open_through_the_pipe()
    {
        var runId = AgentHarness.NextRunId();
        try
        {
            var finished = await _agent.RunAsync(AgentHarness.Shell(runId, "setsid sleep 66 & echo started"), 30);

            finished.Outcome.ShouldBe(RunOutcome.Succeeded);
            _agent.Link.Output(runId).ShouldBe("started\n");
        }
        finally
        {
            ProcessTable.Kill(ProcessTable.Find("sleep 66"));
        }
    }

    [Fact]
    public async Task A_missing_shell_fails_the_run_with_a_clear_error()
    {
        var runId = AgentHarness.NextRunId();

        var finished = await _agent.RunAsync(AgentHarness.Shell(runId, "true", extraConfig: """, "shell": "/no/such/shell" """));

        finished.Outcome.ShouldBe(RunOutcome.Failed);
        finished.Error.ShouldBe("shell '/no/such/shell' does not exist on this agent");
    }

    [Fact]
    public async Task Large_output_through_a_slow_uplink_arrives_whole_in_bounded_chunks()
    {
        var agent = new AgentHarness(sendDelay: TimeSpan.FromMilliseconds(5));
        var runId = AgentHarness.NextRunId();

        var finished = await agent.RunAsync(AgentHarness.Shell(runId, "head -c 300000 /dev/zero | tr '\\0' a; echo"), 60);

        finished.Outcome.ShouldBe(RunOutcome.Succeeded);
        var chunks = agent.Link.For(runId).OfType<RunOutput>().ToList();
        string.Concat(chunks.Select(c => c.Text)).ShouldBe(new string('a', 300000) + "\n");
        chunks.ShouldAllBe(c => c.Text.Length <= 16 * 1024);
        chunks.Select(c => c.Sequence).ShouldBe(Enumerable.Range(1, chunks.Count).Select(i => (long)i));
    }
}
