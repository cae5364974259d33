using System.Text.Json;
using GopherCron.Agent.Protocol;
using GopherCron.Plugins.Tests.Support;

namespace GopherCron.Plugins.Tests;

/// <summary>The container plugin as loaded from plugins/container/: its validation, schema, and an engine that is not there.</summary>
public sealed class ContainerConfigurationTests : IDisposable
{
    private readonly PluginHarness _agent = new();

    [Fact]
    public void The_plugin_loads_from_its_folder_and_lists_the_container_kind()
    {
        _agent.Catalog.TryGet("container", out var executor).ShouldBeTrue();
        executor!.Descriptor.DisplayName.ShouldBe("Container");
    }

    [Fact]
    public void The_schema_is_a_json_schema_that_requires_the_image_and_lists_every_field()
    {
        _agent.Catalog.TryGet("container", out var executor).ShouldBeTrue();
        using var schema = JsonDocument.Parse(executor!.Descriptor.ConfigurationSchema);

        schema.RootElement.GetProperty("$schema").GetString().ShouldBe("https://json-schema.org/draft/2020-12/schema");
        schema.RootElement.GetProperty("required").EnumerateArray().Select(e => e.GetString()).ShouldBe(["image"]);
        schema.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name).ShouldBe(
            ["image", "command", "environment", "pullPolicy", "autoRemove", "workingDirectory", "user", "timeoutSeconds", "labels"],
            ignoreOrder: true);
        schema.RootElement.GetProperty("properties").GetProperty("pullPolicy").GetProperty("enum")
            .EnumerateArray().Select(e => e.GetString()).ShouldBe(["missing", "always", "never"]);
    }

    [Theory]
    [InlineData("""{"image":"alpine"}""")]
    [InlineData("""{"image":"alpine:3.20","command":["sh","-c","echo hi"]}""")]
    [InlineData("""{"image":"ghcr.io/acme/nightly-job:1.2.3","command":"report --since '1 day ago'"}""")]
    [InlineData("""{"image":"localhost:5000/team/job","pullPolicy":"never","autoRemove":false}""")]
    [InlineData("""{"image":"busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","pullPolicy":"always"}""")]
    [InlineData("""{"image":"alpine","environment":{"MODE":"full"},"labels":{"team":"ops"},"workingDirectory":"/work","user":"1000:1000","timeoutSeconds":30}""")]
    public void Valid_configurations_have_no_errors(string json) =>
        _agent.Validate("container", json).ShouldBeEmpty();

    [Theory]
    [InlineData("""{}""", "image")]
    [InlineData("""{"image":"  "}""", "image")]
    [InlineData("""{"image":"Alpine"}""", "image")]
    [InlineData("""{"image":"alpine:"}""", "image")]
    [InlineData("""{"image":"alpine latest"}""", "image")]
    [InlineData("""{"image":"-alpine"}""", "image")]
    [InlineData("""{"image":42}""", "image")]
    [InlineData("""{"image":"alpine","pullPolicy":"sometimes"}""", "pullPolicy")]
    [InlineData("""{"image":"alpine","pullPolicy":"Always"}""", "pullPolicy")]
    [InlineData("""{"image":"alpine","environment":{"PORT":8080}}""", "environment.PORT")]
    [InlineData("""{"image":"alpine","environment":["A=1"]}""", "environment")]
    [InlineData("""{"image":"alpine","labels":{"gophercron.run-id":"1"}}""", "labels.gophercron.run-id")]
    [InlineData("""{"image":"alpine","labels":{"tier":true}}""", "labels.tier")]
    [InlineData("""{"image":"alpine","command":[]}""", "command")]
    [InlineData("""{"image":"alpine","command":["echo",1]}""", "command[1]")]
    [InlineData("""{"image":"alpine","command":"echo 'unterminated"}""", "command")]
    [InlineData("""{"image":"alpine","command":"   "}""", "command")]
    [InlineData("""{"image":"alpine","autoRemove":"yes"}""", "autoRemove")]
    [InlineData("""{"image":"alpine","workingDirectory":"work"}""", "workingDirectory")]
    [InlineData("""{"image":"alpine","timeoutSeconds":0}""", "timeoutSeconds")]
    [InlineData("""{"image":"alpine","imgae":"x"}""", "imgae")]
    public void Invalid_configurations_name_the_field_at_fault(string json, string field)
    {
        var errors = _agent.Validate("container", json);

        errors.Select(e => e.Field).ShouldBe([field], string.Join("; ", errors));
    }

    [Fact]
    public void A_configuration_that_is_not_an_object_is_rejected() =>
        _agent.Validate("container", "\"alpine\"").Single().Field.ShouldBe("$");

    [Fact]
    public async Task An_unreachable_engine_fails_the_run_promptly_with_the_address_in_the_reason()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"gophercron-no-docker-{Guid.NewGuid():N}.sock");
        using var agent = new PluginHarness(new Dictionary<string, string?> { ["Plugins:container:DockerHost"] = $"unix://{socket}" });
        var started = TimeProvider.System.GetTimestamp();

        var (finished, output) = await agent.RunAsync("container", """{"image":"alpine","command":["true"]}""");

        finished.Outcome.ShouldBe(RunOutcome.Failed);
        finished.Error.ShouldNotBeNull().ShouldBe(
            $"cannot reach the Docker engine at unix://{socket}: the socket {socket} does not exist (is the engine installed and running?)");
        output.ShouldContain("cannot reach the Docker engine");
        TimeProvider.System.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    public void Dispose() => _agent.Dispose();
}
