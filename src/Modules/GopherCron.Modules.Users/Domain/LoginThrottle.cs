using System.Collections.Concurrent;

namespace GopherCron.Modules.Users.Domain;

/// <summary>
/// Slows password guessing: after <see cref="MaxFailures"/> wrong passwords for an account within
/// <see cref="Window"/>, that account's logins are refused until the window passes. Per replica and in memory:
/// cheap, and enough to turn online guessing from thousands per second into a handful per five minutes.
/// </summary>
internal sealed class LoginThrottle(TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    // Guessing across many random accounts would otherwise grow this without bound.
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    /// <summary>How long the account is still blocked; null when a login may be attempted.</summary>
    public TimeSpan? BlockedFor(string account)
    {
        if (!_failures.TryGetValue(account, out var entry))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        lock (entry)
        {
            var until = entry.WindowStart + Window;
            return entry.Count >= MaxFailures && until > now ? until - now : null;
        }
    }

    public void RecordFailure(string account)
    {
        var now = clock.GetUtcNow();
        if (_failures.Count > PruneAbove)
        {
            Prune(now);
        }

        var entry = _failures.GetOrAdd(account, _ => new Failures { WindowStart = now });
        lock (entry)
        {
            if (entry.WindowStart + Window <= now)
            {
                entry.WindowStart = now;
                entry.Count = 0;
            }

            entry.Count++;
        }
    }

    public void Reset(string account) => _failures.TryRemove(account, out _);

    private void Prune(DateTimeOffset now)
    {
        foreach (var (account, entry) in _failures)
        {
            if (entry.WindowStart + Window <= now)
            {
                _failures.TryRemove(account, out _);
            }
        }
    }

    private sealed class Failures
    {
        public DateTimeOffset WindowStart { get; set; }

        public int Count { get; set; }
    }
}
