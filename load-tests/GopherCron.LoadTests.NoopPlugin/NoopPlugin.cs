using System.Text.Json;
using GopherCron.Plugins.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GopherCron.LoadTests.NoopPlugin;

public sealed class NoopPlugin : IExecutorPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        // The harness names the file through the environment, so the host needs no setting of its own for it.
        var path = Environment.GetEnvironmentVariable("GOPHERCRON_NOOP_RECORD");
        services.AddSingleton<ITaskExecutor>(new NoopExecutor(string.IsNullOrEmpty(path) ? null : new StartRecorder(path)));
    }
}

/// <summary>Does nothing; notes when it started, so the harness can tell how late the fire reached the executor.</summary>
internal sealed class NoopExecutor(StartRecorder? recorder) : ITaskExecutor
{
    public string Kind => "noop";

    public ExecutorDescriptor Descriptor { get; } = new(
        "No-op (benchmark)",
        "Returns at once; records its start time against the scheduled instant for the load tests.",
        """{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}""");

    public IReadOnlyList<ConfigurationError> Validate(JsonElement configuration) => [];

    public ValueTask<ExecutionResult> ExecuteAsync(ExecutionRequest request, IExecutionOutput output, CancellationToken cancellationToken)
    {
        recorder?.Record(request.TaskId, request.ScheduledAt, DateTimeOffset.UtcNow);
        return ValueTask.FromResult(ExecutionResult.Succeeded);
    }
}
