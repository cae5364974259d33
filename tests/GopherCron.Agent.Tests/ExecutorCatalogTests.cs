using System.Text.Json;
using GopherCron.Agent.Plugins;
using GopherCron.Agent.Tests.Support;
using GopherCron.Plugins.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace GopherCron.Agent.Tests;

public sealed class ExecutorCatalogTests : IDisposable
{
    private readonly string _plugins = Directory.CreateTempSubdirectory("gophercron-plugins-").FullName;

    public void Dispose() => Directory.Delete(_plugins, recursive: true);

    [Fact]
    public void The_built_shell_plugin_folder_has_the_plugin_but_not_the_sdk()
    {
        var shell = Path.Combine(AgentHarness.PluginsFolder, "shell");

        File.Exists(Path.Combine(shell, "GopherCron.Plugins.Shell.dll")).ShouldBeTrue();
        File.Exists(Path.Combine(shell, "GopherCron.Plugins.Abstractions.dll")).ShouldBeFalse();
    }

    [Fact]
    public void Broken_plugin_folders_are_listed_as_failures_and_the_good_one_still_loads()
    {
        CopyShellPlugin();
        Directory.CreateDirectory(Path.Combine(_plugins, "garbage"));
        File.WriteAllBytes(Path.Combine(_plugins, "garbage", "garbage.dll"), [0x4d, 0x5a, 1, 2, 3, 4, 5, 6, 7, 8]);
        Directory.CreateDirectory(Path.Combine(_plugins, "testing"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "GopherCron.Testing.dll"), Path.Combine(_plugins, "testing", "GopherCron.Testing.dll"));
        Directory.CreateDirectory(Path.Combine(_plugins, "empty"));

        using var catalog = AgentHarness.LoadCatalog(_plugins);

        catalog.Kinds.ShouldBe(["shell"]);
        catalog.Plugins.ShouldHaveSingleItem().Name.ShouldBe("shell");
        var failures = catalog.Failures.ToDictionary(f => Path.GetFileName(f.Folder), f => f.Reason);
        failures.Keys.Order().ShouldBe(["empty", "garbage", "testing"]);
        failures["empty"].ShouldContain("empty.dll");
        failures["garbage"].ShouldContain("BadImageFormat");
        failures["testing"].ShouldContain("no IExecutorPlugin");
    }

    [Fact]
    public void A_plugin_whose_kind_is_taken_is_skipped_and_the_first_one_kept()
    {
        CopyShellPlugin();
        using var catalog = new ExecutorCatalog(new ConfigurationBuilder().Build(), NullLoggerFactory.Instance, TimeProvider.System);
        var builtIn = new FakeExecutor("SHELL", (_, _, _) => ValueTask.FromResult(ExecutionResult.Succeeded));
        catalog.Register(builtIn);

        catalog.LoadPlugins(_plugins);

        catalog.TryGet("shell", out var executor).ShouldBeTrue();
        executor.ShouldBeSameAs(builtIn);
        catalog.Failures.ShouldHaveSingleItem().Reason.ShouldContain("'shell' is already provided");
        Should.Throw<ArgumentException>(() => catalog.Register(builtIn));
    }

    [Fact]
    public void A_plugin_that_throws_while_configuring_is_skipped()
    {
        CopyShellPlugin();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Plugins:shell:DefaultShell"] = "relative/sh" })
            .Build();

        using var catalog = ExecutorCatalog.Load(_plugins, configuration, NullLoggerFactory.Instance, TimeProvider.System);

        catalog.Kinds.ShouldBeEmpty();
        catalog.Failures.ShouldHaveSingleItem().Reason.ShouldContain("DefaultShell must be an absolute path");
    }

    [Fact]
    public void Loading_again_picks_up_only_new_folders()
    {
        using var catalog = AgentHarness.LoadCatalog(_plugins);
        catalog.Kinds.ShouldBeEmpty();

        CopyShellPlugin();
        catalog.LoadPlugins(_plugins);
        catalog.LoadPlugins(_plugins);

        catalog.Kinds.ShouldBe(["shell"]);
        catalog.Failures.ShouldBeEmpty();
    }

    [Fact]
    public void A_missing_plugins_folder_means_no_plugins_and_no_exception()
    {
        using var catalog = AgentHarness.LoadCatalog(Path.Combine(_plugins, "absent"));

        catalog.Kinds.ShouldBeEmpty();
        catalog.Failures.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"command": "echo hi"}""", null)]
    [InlineData("""{"command": "echo hi", "shell": "/bin/bash", "workingDirectory": "/tmp", "environment": {"A": "1"}}""", null)]
    [InlineData("""{}""", "command")]
    [InlineData("""{"command": "   "}""", "command")]
    [InlineData("""{"command": 5}""", "command")]
    [InlineData("""{"command": "ls", "shell": "bash"}""", "shell")]
    [InlineData("""{"command": "ls", "workingDirectory": "tmp"}""", "workingDirectory")]
    [InlineData("""{"command": "ls", "environment": {"A": 1}}""", "environment.A")]
    [InlineData("""{"command": "ls", "environment": ["A"]}""", "environment")]
    [InlineData("""{"command": "ls", "comand": "typo"}""", "comand")]
    [InlineData("""[]""", "$")]
    public void Shell_configuration_errors_name_the_field(string json, string? field)
    {
        using var catalog = AgentHarness.LoadCatalog();
        catalog.TryGet("shell", out var shell).ShouldBeTrue();
        using var document = JsonDocument.Parse(json);

        var errors = shell.Validate(document.RootElement);

        if (field is null)
        {
            errors.ShouldBeEmpty();
        }
        else
        {
            errors.ShouldHaveSingleItem().Field.ShouldBe(field);
        }
    }

    [Fact]
    public void Shell_commands_longer_than_64_KiB_are_refused_and_the_schema_is_valid_json()
    {
        using var catalog = AgentHarness.LoadCatalog();
        catalog.TryGet("shell", out var shell).ShouldBeTrue();
        using var longCommand = JsonDocument.Parse(JsonSerializer.Serialize(new { command = new string('x', 64 * 1024 + 1) }));

        shell.Validate(longCommand.RootElement).ShouldHaveSingleItem().Field.ShouldBe("command");
        using var schema = JsonDocument.Parse(shell.Descriptor.ConfigurationSchema);
        schema.RootElement.GetProperty("required")[0].GetString().ShouldBe("command");
    }

    private void CopyShellPlugin()
    {
        var source = Path.Combine(AgentHarness.PluginsFolder, "shell");
        var target = Directory.CreateDirectory(Path.Combine(_plugins, "shell")).FullName;
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }
}
