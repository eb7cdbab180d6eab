using System.Collections.Concurrent;

namespace ThreatIntel.Core.ApiKeys;

/// <summary>
/// Remembers recently authenticated keys by the hash of their secret for a short <see cref="Lifetime"/>, so that a
/// busy client is not looked up in the database on every request. Any change to a key made through this instance
/// empties it at once; a change made through another instance sharing the database is seen when the entry expires.
/// A zero lifetime turns it off.
/// </summary>
public sealed class ApiKeyCache(TimeSpan lifetime, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public TimeSpan Lifetime { get; } = lifetime;

    /// <summary>The key whose secret has this hash, if it was looked up less than <see cref="Lifetime"/> ago.</summary>
    public bool TryGet(byte[] secretHash, out ApiKey key)
    {
        if (Lifetime > TimeSpan.Zero
            && _entries.TryGetValue(Convert.ToBase64String(secretHash), out var entry)
            && timeProvider.GetUtcNow() < entry.ExpiresAt)
        {
            key = entry.Key;
            return true;
        }

        key = null!;
        return false;
    }

    public void Add(byte[] secretHash, ApiKey key)
    {
        if (Lifetime > TimeSpan.Zero)
        {
            _entries[Convert.ToBase64String(secretHash)] = new Entry(key, timeProvider.GetUtcNow() + Lifetime);
        }
    }

    /// <summary>Forgets every key: called after any key is created, revoked or given a new secret.</summary>
    public void Clear() => _entries.Clear();

    private sealed record Entry(ApiKey Key, DateTimeOffset ExpiresAt);
}
