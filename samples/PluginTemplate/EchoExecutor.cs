using System.Text.Json;
using GopherCron.Plugins.Abstractions;

namespace MyCompany.GopherCron.Echo;

/// <summary>Writes the task's <c>message</c> to the run's output. Replace with your own work.</summary>
internal sealed class EchoExecutor : ITaskExecutor
{
    public string Kind => "echo";

    public ExecutorDescriptor Descriptor { get; } = new(
        "Echo",
        "Writes a message to the run's output.",
        """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "required": ["message"],
          "additionalProperties": false,
          "properties": { "message": { "type": "string", "minLength": 1, "title": "Message" } }
        }
        """);

    public IReadOnlyList<ConfigurationError> Validate(JsonElement configuration) =>
        configuration.ValueKind == JsonValueKind.Object
        && configuration.TryGetProperty("message", out var message)
        && message.ValueKind == JsonValueKind.String
        && message.GetString() is { Length: > 0 }
            ? []
            : [new ConfigurationError("message", "message is required and must be a non-empty string.")];

    public async ValueTask<ExecutionResult> ExecuteAsync(ExecutionRequest request, IExecutionOutput output, CancellationToken cancellationToken)
    {
        // The configuration was validated when the task was saved (by the host, when it has this plugin too).
        var message = request.Configuration.GetProperty("message").GetString()!;
        await output.WriteLineAsync(message, cancellationToken);
        return ExecutionResult.Succeeded;
    }
}
