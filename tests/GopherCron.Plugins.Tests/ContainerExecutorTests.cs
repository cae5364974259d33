using System.Text.Json;
using GopherCron.Agent.Protocol;
using GopherCron.Plugins.Tests.Support;

namespace GopherCron.Plugins.Tests;

/// <summary>
/// The container plugin against a real Docker engine (<see cref="DockerFactAttribute"/>): skipped where none answers,
/// which includes the project's own machines.
/// </summary>
public sealed class ContainerExecutorTests : IDisposable
{
    private const string Image = "alpine:3.20";

    // A short grace: sh as PID 1 ignores SIGTERM, so a kill always waits for SIGKILL.
    private readonly PluginHarness _agent = new(new Dictionary<string, string?> { ["Plugins:container:StopGraceSeconds"] = "2" });

    [DockerFact]
    public async Task A_container_run_streams_stdout_and_stderr_and_succeeds_with_exit_code_0()
    {
        var (runId, finished, output) = await Run(new
        {
            image = Image,
            command = new[] { "sh", "-c", "echo \"$GREETING from task $GOPHERCRON_TASK_ID\"; echo to-stderr >&2" },
            environment = new Dictionary<string, string> { ["GREETING"] = "hello" },
        });

        finished.Outcome.ShouldBe(RunOutcome.Succeeded, output);
        finished.ExitCode.ShouldBe(0);
        output.ShouldContain("hello from task 42\n");
        output.ShouldContain("to-stderr\n");
        (await DockerEngine.ContainersOfRunAsync(runId)).ShouldBeEmpty("autoRemove is the default");
    }

    [DockerFact]
    public async Task A_non_zero_exit_fails_the_run_with_the_containers_exit_code()
    {
        var (_, finished, output) = await Run(new { image = Image, command = "sh -c 'echo failing; exit 3'" });

        finished.Outcome.ShouldBe(RunOutcome.Failed, output);
        finished.ExitCode.ShouldBe(3);
        finished.Error.ShouldBe("container exited with code 3");
        output.ShouldContain("failing\n");
    }

    [DockerFact]
    public async Task Kill_stops_the_container_promptly_and_removes_it()
    {
        var runId = PluginHarness.NextRunId();
        var configuration = JsonSerializer.Serialize(new { image = Image, command = new[] { "sh", "-c", "echo ready; sleep 60" } });
        await _agent.Runtime.HandleAsync(PluginHarness.Dispatch(runId, "container", configuration), CancellationToken.None);
        await _agent.Link.WaitForOutputAsync(runId, "ready", seconds: 120);
        (await DockerEngine.ContainersOfRunAsync(runId)).Single().GetProperty("State").GetString().ShouldBe("running");

        var killedAt = TimeProvider.System.GetTimestamp();
        await _agent.Runtime.HandleAsync(new KillRun(runId, "killed by test"), CancellationToken.None);
        var finished = await _agent.Link.FinishedAsync(runId, seconds: 30);

        finished.Outcome.ShouldBe(RunOutcome.Killed);
        TimeProvider.System.GetElapsedTime(killedAt).ShouldBeLessThan(TimeSpan.FromSeconds(15));
        (await DockerEngine.ContainersOfRunAsync(runId)).ShouldBeEmpty();
    }

    [DockerFact]
    public async Task The_tasks_timeout_stops_the_container_and_fails_the_run()
    {
        var (runId, finished, output) = await Run(new { image = Image, command = new[] { "sleep", "60" }, timeoutSeconds = 2 });

        finished.Outcome.ShouldBe(RunOutcome.Failed, output);
        finished.Error.ShouldBe("container timed out after 2 s (timeoutSeconds)");
        (await DockerEngine.ContainersOfRunAsync(runId)).ShouldBeEmpty();
    }

    [DockerFact]
    public async Task Without_autoRemove_the_exited_container_stays_with_its_labels()
    {
        var (runId, finished, output) = await Run(new
        {
            image = Image,
            command = new[] { "true" },
            autoRemove = false,
            labels = new Dictionary<string, string> { ["team"] = "ops" },
        });

        finished.Outcome.ShouldBe(RunOutcome.Succeeded, output);
        var container = (await DockerEngine.ContainersOfRunAsync(runId)).ShouldHaveSingleItem();
        try
        {
            container.GetProperty("State").GetString().ShouldBe("exited");
            var labels = container.GetProperty("Labels");
            labels.GetProperty("gophercron.task-id").GetString().ShouldBe("42");
            labels.GetProperty("team").GetString().ShouldBe("ops");
        }
        finally
        {
            await DockerEngine.RemoveContainerAsync(container.GetProperty("Id").GetString()!);
        }
    }

    public void Dispose() => _agent.Dispose();

    private async Task<(long RunId, RunFinished Finished, string Output)> Run(object configuration)
    {
        var runId = PluginHarness.NextRunId();
        await _agent.Runtime.HandleAsync(
            PluginHarness.Dispatch(runId, "container", JsonSerializer.Serialize(configuration)), CancellationToken.None);
        // A first run may pull the image.
        var finished = await _agent.Link.FinishedAsync(runId, seconds: 180);
        return (runId, finished, _agent.Link.Output(runId));
    }
}
