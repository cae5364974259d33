using System.Diagnostics;

namespace GopherCron.LoadTests.Harness;

/// <summary>One phase of an open-model load: the rate goes from <see cref="From"/> to <see cref="To"/> requests per
/// second over <see cref="Duration"/> (equal for a constant rate). Warm-up phases are run but not measured.</summary>
internal sealed record LoadPhase(string Name, double From, double To, TimeSpan Duration, bool Measured)
{
    public static LoadPhase Constant(double rate, TimeSpan duration, bool measured = true) => new("constant", rate, rate, duration, measured);

    public static LoadPhase Ramp(double from, double to, TimeSpan duration, bool measured = false) => new("ramp", from, to, duration, measured);
}

/// <summary>
/// Sends calls at the phases' rates whether or not earlier calls have finished (an open model, as NBomber's
/// inject simulations do). Latency is taken from each call's intended start, so a stalled server is not hidden by a
/// stalled client (no coordinated omission).
/// </summary>
internal static class LoadSimulation
{
    public sealed class Outcome
    {
        public Latency Latency { get; } = new();

        public long Ok;
        public long Errors;
        public long Sent;
        public double MeasuredSeconds;
        public readonly Dictionary<string, long> ErrorKinds = [];
    }

    public static async Task<Outcome> RunAsync(IReadOnlyList<LoadPhase> phases, Func<long, CancellationToken, Task<string?>> call, CancellationToken cancellationToken)
    {
        var outcome = new Outcome();
        var inFlight = new List<Task>();
        long sequence = 0;
        foreach (var phase in phases)
        {
            var clock = Stopwatch.StartNew();
            var phaseStart = Stopwatch.GetTimestamp();
            var total = phase.Duration.TotalSeconds;
            var sentInPhase = 0L;
            while (clock.Elapsed.TotalSeconds < total)
            {
                var t = clock.Elapsed.TotalSeconds;
                // Calls due by now: the integral of a linear rate from 0 to t.
                var due = (long)(phase.From * t + (phase.To - phase.From) * t * t / (2 * total));
                while (sentInPhase < due)
                {
                    var intendedAt = IntendedTime(phase, sentInPhase, total);
                    var startedAt = phaseStart + (long)(intendedAt * Stopwatch.Frequency);
                    sentInPhase++;
                    var id = sequence++;
                    inFlight.Add(Send(id, startedAt, phase.Measured));
                }

                if (inFlight.Count > 4096)
                {
                    inFlight.RemoveAll(task => task.IsCompleted);
                }

                await Task.Delay(1, cancellationToken);
            }

            if (phase.Measured)
            {
                outcome.MeasuredSeconds += total;
            }
        }

        await Task.WhenAll(inFlight);
        return outcome;

        async Task Send(long id, long intendedTimestamp, bool measured)
        {
            string? error;
            try
            {
                error = await call(id, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                error = e.GetType().Name;
            }

            if (!measured)
            {
                return;
            }

            outcome.Latency.Record(Stopwatch.GetElapsedTime(intendedTimestamp));
            lock (outcome)
            {
                outcome.Sent++;
                if (error is null)
                {
                    outcome.Ok++;
                }
                else
                {
                    outcome.Errors++;
                    outcome.ErrorKinds[error] = outcome.ErrorKinds.GetValueOrDefault(error) + 1;
                }
            }
        }
    }

    // The instant (seconds into the phase) the n-th call of the phase is due: solves from*t + k*t²/2 = n.
    private static double IntendedTime(LoadPhase phase, long n, double total)
    {
        var k = (phase.To - phase.From) / total;
        if (Math.Abs(k) < 1e-9)
        {
            return phase.From <= 0 ? 0 : n / phase.From;
        }

        var discriminant = phase.From * phase.From + 2 * k * n;
        return discriminant <= 0 ? 0 : (-phase.From + Math.Sqrt(discriminant)) / k;
    }
}
