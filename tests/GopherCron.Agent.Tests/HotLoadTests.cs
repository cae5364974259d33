using System.Collections.Concurrent;
using System.Text.Json;
using GopherCron.Agent.Tests.Support;

namespace GopherCron.Agent.Tests;

/// <summary>Plugin folders dropped into a watched plugins folder while the agent runs.</summary>
public sealed class HotLoadTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly string _plugins = Directory.CreateTempSubdirectory("gophercron-hotload-").FullName;

    public void Dispose() => Directory.Delete(_plugins, recursive: true);

    [Fact]
    public async Task A_plugin_copied_in_while_watching_is_loaded_and_a_garbage_one_later_is_listed_as_a_failure()
    {
        using var catalog = AgentHarness.LoadCatalog(_plugins);
        var announced = new ConcurrentQueue<IReadOnlyCollection<string>>();
        catalog.KindsChanged += announced.Enqueue;
        catalog.Watch(_plugins, TimeSpan.FromMilliseconds(500));
        catalog.Kinds.ShouldBeEmpty();

        // Copied file by file with pauses shorter than the quiet period, the way a slow copy arrives: the folder must
        // not be tried (and failed) while it is incomplete.
        var target = Directory.CreateDirectory(Path.Combine(_plugins, "shell")).FullName;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AgentHarness.PluginsFolder, "shell")).Order())
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            await Task.Delay(150);
        }

        await WaitUntilAsync(() => catalog.Kinds.Contains("shell"));
        catalog.Failures.ShouldBeEmpty();
        announced.ShouldHaveSingleItem().ShouldBe(["shell"]);
        catalog.TryGet("shell", out var shell).ShouldBeTrue();
        using (var config = JsonDocument.Parse("""{"command": "echo hi"}"""))
        {
            shell.Validate(config.RootElement).ShouldBeEmpty();
        }

        var garbage = Directory.CreateDirectory(Path.Combine(_plugins, "garbage")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(garbage, "garbage.dll"), [0x4d, 0x5a, 1, 2, 3, 4, 5, 6, 7, 8]);

        await WaitUntilAsync(() => catalog.Failures.Count > 0);
        var failure = catalog.Failures.ShouldHaveSingleItem();
        Path.GetFileName(failure.Folder).ShouldBe("garbage");
        failure.Reason.ShouldContain("BadImageFormat");
        catalog.Kinds.ShouldBe(["shell"]);
        catalog.TryGet("shell", out _).ShouldBeTrue();
        announced.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_hot_loaded_plugin_runs_tasks()
    {
        using var catalog = AgentHarness.LoadCatalog(_plugins);
        catalog.Watch(_plugins, TimeSpan.FromMilliseconds(300));
        var harness = new AgentHarness(catalog: catalog);

        var staging = Directory.CreateTempSubdirectory("gophercron-staging-").FullName;
        try
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(AgentHarness.PluginsFolder, "shell")))
            {
                File.Copy(file, Path.Combine(staging, Path.GetFileName(file)));
            }

            // The usual way to install atomically: build the folder elsewhere, then move it in.
            Directory.Move(staging, Path.Combine(_plugins, "shell"));
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        await WaitUntilAsync(() => catalog.Kinds.Contains("shell"));
        var finished = await harness.RunAsync(AgentHarness.Shell(AgentHarness.NextRunId(), "echo hot"));
        finished.ExitCode.ShouldBe(0);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(100, timeout.Token);
        }
    }
}
