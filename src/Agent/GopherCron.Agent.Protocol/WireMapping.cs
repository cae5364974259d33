using Wire = GopherCron.Agent.Protocol.Grpc;

namespace GopherCron.Agent.Protocol;

/// <summary>The one place that converts between the protocol records and their gRPC wire form.</summary>
public static class WireMapping
{
    /// <summary>Converts a host message to its envelope.</summary>
    /// <param name="message">A <see cref="DispatchRun"/> or a <see cref="KillRun"/>.</param>
    public static Wire.HostEnvelope ToWire(HostMessage message) => message switch
    {
        DispatchRun d => new Wire.HostEnvelope
        {
            Dispatch = new Wire.DispatchRun
            {
                RunId = d.RunId,
                Term = d.Term,
                Spec = new Wire.RunSpec
                {
                    TaskId = d.Spec.TaskId,
                    ProjectId = d.Spec.ProjectId,
                    TaskName = d.Spec.TaskName,
                    Executor = d.Spec.Executor,
                    ConfigurationJson = d.Spec.ConfigurationJson,
                    TimeoutMs = d.Spec.Timeout == Timeout.InfiniteTimeSpan ? 0 : (long)d.Spec.Timeout.TotalMilliseconds,
                    ScheduledAtUnixMs = d.Spec.ScheduledAt.ToUnixTimeMilliseconds(),
                    Attempt = d.Spec.Attempt,
                },
            },
        },
        KillRun k => new Wire.HostEnvelope { Kill = new Wire.KillRun { RunId = k.RunId, Reason = k.Reason } },
        _ => throw new ArgumentException($"{message.GetType().Name} has no wire form", nameof(message)),
    };

    /// <summary>Converts an envelope to a host message; null for an envelope that carries none (Welcome, Acknowledge).</summary>
    /// <param name="envelope">The envelope.</param>
    public static HostMessage? FromWire(Wire.HostEnvelope envelope) => envelope.BodyCase switch
    {
        Wire.HostEnvelope.BodyOneofCase.Dispatch => new DispatchRun(envelope.Dispatch.RunId, envelope.Dispatch.Term, new RunSpec
        {
            TaskId = envelope.Dispatch.Spec.TaskId,
            ProjectId = envelope.Dispatch.Spec.ProjectId,
            TaskName = envelope.Dispatch.Spec.TaskName,
            Executor = envelope.Dispatch.Spec.Executor,
            ConfigurationJson = envelope.Dispatch.Spec.ConfigurationJson,
            Timeout = envelope.Dispatch.Spec.TimeoutMs > 0 ? TimeSpan.FromMilliseconds(envelope.Dispatch.Spec.TimeoutMs) : TimeSpan.Zero,
            ScheduledAt = DateTimeOffset.FromUnixTimeMilliseconds(envelope.Dispatch.Spec.ScheduledAtUnixMs),
            Attempt = envelope.Dispatch.Spec.Attempt,
        }),
        Wire.HostEnvelope.BodyOneofCase.Kill => new KillRun(envelope.Kill.RunId, envelope.Kill.Reason),
        _ => null,
    };

    /// <summary>Converts an agent message to its envelope.</summary>
    /// <param name="message">A <see cref="RunStarted"/>, <see cref="RunOutput"/> or <see cref="RunFinished"/>.</param>
    public static Wire.AgentEnvelope ToWire(AgentMessage message)
    {
        switch (message)
        {
            case RunStarted s:
                return new Wire.AgentEnvelope { RunStarted = new Wire.RunStarted { RunId = s.RunId, StartedAtUnixMs = s.StartedAt.ToUnixTimeMilliseconds() } };
            case RunOutput o:
                return new Wire.AgentEnvelope { RunOutput = new Wire.RunOutput { RunId = o.RunId, Sequence = o.Sequence, Text = o.Text } };
            case RunFinished f:
                var finished = new Wire.RunFinished
                {
                    RunId = f.RunId,
                    Outcome = (Wire.RunOutcome)(int)f.Outcome,
                    FinishedAtUnixMs = f.FinishedAt.ToUnixTimeMilliseconds(),
                };
                if (f.ExitCode is { } code)
                {
                    finished.ExitCode = code;
                }

                if (f.Error is { } error)
                {
                    finished.Error = error;
                }

                return new Wire.AgentEnvelope { RunFinished = finished };
            default:
                throw new ArgumentException($"{message.GetType().Name} has no wire form", nameof(message));
        }
    }

    /// <summary>Converts an envelope to an agent message; null for an envelope that carries none (Hello).</summary>
    /// <param name="envelope">The envelope.</param>
    public static AgentMessage? FromWire(Wire.AgentEnvelope envelope) => envelope.BodyCase switch
    {
        Wire.AgentEnvelope.BodyOneofCase.RunStarted => new RunStarted(envelope.RunStarted.RunId,
            DateTimeOffset.FromUnixTimeMilliseconds(envelope.RunStarted.StartedAtUnixMs)),
        Wire.AgentEnvelope.BodyOneofCase.RunOutput => new RunOutput(envelope.RunOutput.RunId, envelope.RunOutput.Sequence, envelope.RunOutput.Text),
        Wire.AgentEnvelope.BodyOneofCase.RunFinished => new RunFinished(
            envelope.RunFinished.RunId,
            Enum.IsDefined((RunOutcome)(int)envelope.RunFinished.Outcome) ? (RunOutcome)(int)envelope.RunFinished.Outcome : RunOutcome.Failed,
            envelope.RunFinished.HasExitCode ? envelope.RunFinished.ExitCode : null,
            envelope.RunFinished.HasError ? envelope.RunFinished.Error : null,
            DateTimeOffset.FromUnixTimeMilliseconds(envelope.RunFinished.FinishedAtUnixMs)),
        _ => null,
    };
}
