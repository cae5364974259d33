using System.Text.Json;
using GopherCron.Plugins.Abstractions;

namespace GopherCron.Agent.Tests.Support;

/// <summary>An in-assembly executor whose behaviour each test supplies.</summary>
internal sealed class FakeExecutor(
    string kind,
    Func<ExecutionRequest, IExecutionOutput, CancellationToken, ValueTask<ExecutionResult>> execute) : ITaskExecutor
{
    public string Kind => kind;

    public ExecutorDescriptor Descriptor => new(kind, "test executor", "{}");

    public IReadOnlyList<ConfigurationError> Validate(JsonElement configuration) => [];

    public ValueTask<ExecutionResult> ExecuteAsync(ExecutionRequest request, IExecutionOutput output, CancellationToken cancellationToken) =>
        execute(request, output, cancellationToken);
}
