using System.Diagnostics;
using GopherCron.LoadTests.Systems;

namespace GopherCron.LoadTests.Harness;

/// <summary>What one system did with N tasks every second over the measured window.</summary>
internal sealed record FireResult(
    string System,
    int Tasks,
    Latency Lateness,
    long Expected,
    long Fires,
    long Duplicates,
    double Seconds,
    double CpuPercent,
    double PeakRssMb,
    double SetupSeconds)
{
    public long Missing => Math.Max(0, Expected - (Fires - Duplicates));

    public double FiresPerSecond => (Fires - Duplicates) / Seconds;
}

/// <summary>
/// Measures fires by their scheduled instant: waits for the first fire, lets a warm-up pass, then takes every fire
/// scheduled within a window of whole seconds. A fire that has not started a grace period after the window closed
/// counts as missing. CPU is the process's CPU time over the window, as a share of one core.
/// </summary>
internal static class FireMeasurement
{
    public static async Task<FireResult> MeasureAsync(IFiringSystem system, int tasks, int warmupSeconds, int measureSeconds, int graceSeconds)
    {
        var waited = Stopwatch.StartNew();
        while (StartRecords.CountRecords(system.RecordPath) == 0)
        {
            if (system.Failure is { } failure)
            {
                throw new InvalidOperationException(failure);
            }

            if (waited.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new TimeoutException($"{system.Name} fired nothing within 3 minutes");
            }

            await Task.Delay(50);
        }

        var now = DateTimeOffset.UtcNow;
        var windowStart = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddSeconds(1 + warmupSeconds);
        var windowEnd = windowStart.AddSeconds(measureSeconds);
        await DelayUntil(windowStart);
        var cpuStart = ProcessMeter.CpuSeconds(system.ProcessId);
        var wallStart = Stopwatch.GetTimestamp();
        await DelayUntil(windowEnd);
        var cpu = ProcessMeter.CpuSeconds(system.ProcessId) - cpuStart;
        var wall = Stopwatch.GetElapsedTime(wallStart).TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(graceSeconds));
        var peakRss = ProcessMeter.PeakRssMb(system.ProcessId);
        if (system.Failure is { } died)
        {
            throw new InvalidOperationException(died);
        }

        var from = StartRecords.ToUnixUs(windowStart);
        var to = StartRecords.ToUnixUs(windowEnd);
        var lateness = new Latency();
        var seen = new HashSet<(long, long)>();
        long fires = 0, duplicates = 0;
        foreach (var (taskId, scheduledUs, startedUs) in StartRecords.Read(system.RecordPath))
        {
            if (scheduledUs < from || scheduledUs >= to)
            {
                continue;
            }

            fires++;
            if (!seen.Add((taskId, scheduledUs)))
            {
                duplicates++;
            }

            lateness.RecordMicros(startedUs - scheduledUs);
        }

        return new FireResult(system.Name, tasks, lateness, (long)tasks * measureSeconds, fires, duplicates, measureSeconds,
            cpu / wall * 100, peakRss, system.SetupSeconds);
    }

    private static async Task DelayUntil(DateTimeOffset at)
    {
        var delay = at - DateTimeOffset.UtcNow;
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay);
        }
    }
}
