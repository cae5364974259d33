using HdrHistogram;

namespace GopherCron.LoadTests.Harness;

/// <summary>An HdrHistogram of durations in microseconds (1 µs to 1 hour, 3 significant digits), read in milliseconds.</summary>
internal sealed class Latency
{
    private readonly LongHistogram _histogram = new(TimeSpan.FromHours(1).Ticks / 10, 3);
    private readonly Lock _gate = new();
    private long _negative;

    public long Count => _histogram.TotalCount;

    /// <summary>Starts seen before their scheduled instant (clock skew between processes would show here).</summary>
    public long Early => _negative;

    public void RecordMicros(long micros)
    {
        lock (_gate)
        {
            if (micros < 0)
            {
                _negative++;
                micros = 0;
            }

            _histogram.RecordValue(Math.Min(micros, _histogram.HighestTrackableValue));
        }
    }

    public void Record(TimeSpan elapsed) => RecordMicros(elapsed.Ticks / 10);

    public double PercentileMs(double percentile) =>
        Count == 0 ? double.NaN : _histogram.GetValueAtPercentile(percentile) / 1000.0;

    public double MaxMs => Count == 0 ? double.NaN : _histogram.GetMaxValue() / 1000.0;

    public double MeanMs => Count == 0 ? double.NaN : _histogram.GetMean() / 1000.0;

    /// <summary>Points for a percentile chart: (percentile, ms) at 1 - 10^-k steps.</summary>
    public IReadOnlyList<(double Percentile, double Ms)> Curve()
    {
        var points = new List<(double, double)>();
        if (Count == 0)
        {
            return points;
        }

        foreach (var p in new[] { 0.0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100 })
        {
            points.Add((p, _histogram.GetValueAtPercentile(p) / 1000.0));
        }

        return points;
    }
}
