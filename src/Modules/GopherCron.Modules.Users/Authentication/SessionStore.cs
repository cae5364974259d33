using System.Collections.Concurrent;
using GopherCron.Modules.Shared.Data;
using GopherCron.Modules.Shared.Time;
using GopherCron.Modules.Users.Data;
using LinqToDB;
using LinqToDB.Async;

namespace GopherCron.Modules.Users.Authentication;

/// <summary>A valid session as the authentication handler needs it.</summary>
internal sealed record ActiveSession(string TokenHash, long UserId, string Account, bool IsAdmin, DateTimeOffset ExpiresAt);

/// <summary>
/// Resolves bearer tokens to sessions. Every authenticated request needs one, so hits are served from memory for up
/// to <see cref="CacheFor"/>; anything that revokes sessions or changes a user's rights calls <see cref="ForgetUser"/>
/// so this replica stops honouring them at once (other replicas within <see cref="CacheFor"/>).
/// </summary>
internal sealed class SessionStore(Database database, TimeProvider clock)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    // last_seen_at is informational; writing it on every cache miss would add a write to the hot path for nothing.
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);
    private const int PruneAbove = 50_000;

    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);

    // Bumped by every invalidation; a lookup that raced with one does not cache what it read, or a revoked session
    // read just before the revocation could be re-cached after it.
    private long _generation;

    public async ValueTask<ActiveSession?> FindAsync(string tokenHash, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(tokenHash, out var hit) && hit.CachedUntil > now)
        {
            return hit.Session.ExpiresAt > now ? hit.Session : null;
        }

        var generation = Interlocked.Read(ref _generation);
        var nowMs = now.ToUnixMs();
        await using var db = new UsersDb(database.Options);
        var found = await (
                from s in db.Sessions
                join u in db.Users on s.UserId equals u.Id
                where s.TokenHash == tokenHash && s.ExpiresAt > nowMs
                select new { s.UserId, u.Account, u.IsAdmin, s.ExpiresAt, s.LastSeenAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            _cache.TryRemove(tokenHash, out _);
            return null;
        }

        if (nowMs - found.LastSeenAt >= (long)TouchEvery.TotalMilliseconds)
        {
            await db.Sessions
                .Where(s => s.TokenHash == tokenHash)
                .Set(s => s.LastSeenAt, nowMs)
                .UpdateAsync(cancellationToken);
        }

        var session = new ActiveSession(tokenHash, found.UserId, found.Account, found.IsAdmin, UnixTime.FromUnixMs(found.ExpiresAt));
        if (_cache.Count > PruneAbove)
        {
            Prune(now);
        }

        if (Interlocked.Read(ref _generation) == generation)
        {
            var until = now + CacheFor;
            _cache[tokenHash] = new Entry(session, until < session.ExpiresAt ? until : session.ExpiresAt);
        }

        return session;
    }

    /// <summary>Drops every cached session of the user on this replica: the next request re-reads the store.</summary>
    public void ForgetUser(long userId)
    {
        Interlocked.Increment(ref _generation);
        foreach (var (hash, entry) in _cache)
        {
            if (entry.Session.UserId == userId)
            {
                _cache.TryRemove(hash, out _);
            }
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (hash, entry) in _cache)
        {
            if (entry.CachedUntil <= now)
            {
                _cache.TryRemove(hash, out _);
            }
        }
    }

    private sealed record Entry(ActiveSession Session, DateTimeOffset CachedUntil);
}
