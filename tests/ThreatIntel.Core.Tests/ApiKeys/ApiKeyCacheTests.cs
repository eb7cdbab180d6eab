using ThreatIntel.Core.ApiKeys;

namespace ThreatIntel.Core.Tests.ApiKeys;

public sealed class ApiKeyCacheTests
{
    private const string Secret = "ti_cache-test-secret-0123456789abcdef";

    private readonly SteppedClock _clock = new();

    [Fact]
    public void A_key_is_remembered_for_the_lifetime_and_then_looked_up_again()
    {
        var cache = new ApiKeyCache(TimeSpan.FromSeconds(2), _clock);
        var key = NewKey();
        cache.Add(ApiKeySecret.Hash(Secret), key);

        _clock.Advance(TimeSpan.FromSeconds(1.9));
        Assert.True(cache.TryGet(ApiKeySecret.Hash(Secret), out var remembered));
        Assert.Same(key, remembered);

        _clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.False(cache.TryGet(ApiKeySecret.Hash(Secret), out _));
    }

    [Fact]
    public void Another_secret_is_not_found_and_clearing_forgets_every_key()
    {
        var cache = new ApiKeyCache(TimeSpan.FromMinutes(1), _clock);
        cache.Add(ApiKeySecret.Hash(Secret), NewKey());

        Assert.False(cache.TryGet(ApiKeySecret.Hash(Secret + "x"), out _));
        cache.Clear();
        Assert.False(cache.TryGet(ApiKeySecret.Hash(Secret), out _));
    }

    [Fact]
    public void A_zero_lifetime_remembers_nothing()
    {
        var cache = new ApiKeyCache(TimeSpan.Zero, _clock);
        cache.Add(ApiKeySecret.Hash(Secret), NewKey());

        Assert.False(cache.TryGet(ApiKeySecret.Hash(Secret), out _));
    }

    private ApiKey NewKey() => ApiKey.Create("reader", Secret, [ApiKeyScopes.DefinitionsRead], null, _clock.GetUtcNow().UtcDateTime);

    private sealed class SteppedClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
