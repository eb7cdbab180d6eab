using ThreatIntel.Core.ApiKeys;

namespace ThreatIntel.Core.Tests.ApiKeys;

public class ApiKeySecretTests
{
    [Fact]
    public void Generated_keys_are_marked_long_and_never_repeat()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => ApiKeySecret.Generate()).ToList();

        Assert.All(keys, key =>
        {
            Assert.StartsWith(ApiKeySecret.Marker, key, StringComparison.Ordinal);
            // 24 random bytes in unpadded base64url: 32 characters carrying 192 bits.
            Assert.Equal(ApiKeySecret.Marker.Length + 32, key.Length);
            Assert.True(ApiKeySecret.HasValidShape(key));
        });
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(keys.Count, keys.Select(ApiKeySecret.PrefixOf).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void A_secret_matches_only_its_own_hash()
    {
        var secret = ApiKeySecret.Generate();
        var hash = ApiKeySecret.Hash(secret);
        var samePrefixWrongMiddle = ApiKeySecret.PrefixOf(secret) + new string('x', secret.Length - ApiKeySecret.PrefixLength);

        Assert.True(ApiKeySecret.Matches(secret, hash));
        Assert.False(ApiKeySecret.Matches(samePrefixWrongMiddle, hash));
        Assert.False(ApiKeySecret.Matches(secret + "x", hash));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ti_too-long-" + "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789")]
    [InlineData("ti_has a space inside it 123456")]
    [InlineData("ti_non-ascii-é-0123456789abcdef")]
    public void Malformed_keys_are_refused_before_any_lookup(string? secret) =>
        Assert.False(ApiKeySecret.HasValidShape(secret));

    [Fact]
    public void The_stored_key_keeps_only_the_prefix_and_the_hash()
    {
        var secret = ApiKeySecret.Generate();

        var key = ApiKey.Create(" ci-pusher ", secret, [ApiKeyScopes.FeedsWrite, ApiKeyScopes.FeedsWrite], null, DateTime.UtcNow);

        Assert.Equal("ci-pusher", key.Name);
        Assert.Equal(secret[..ApiKeySecret.PrefixLength], key.Prefix);
        Assert.Equal(ApiKeySecret.Hash(secret), key.SecretHash);
        Assert.Equal([ApiKeyScopes.FeedsWrite], key.Scopes);
    }

    [Fact]
    public void A_key_is_active_until_it_expires_or_is_revoked()
    {
        var now = new DateTime(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc);
        var expiring = ApiKey.Create("expiring", ApiKeySecret.Generate(), [ApiKeyScopes.AlertsRead], now.AddHours(1), now);
        var revoked = ApiKey.Create("revoked", ApiKeySecret.Generate(), [ApiKeyScopes.AlertsRead], null, now);
        revoked.Revoke(now, "admin");

        Assert.True(expiring.IsActive(now));
        Assert.False(expiring.IsActive(now.AddHours(1)));
        Assert.False(revoked.IsActive(now));
    }
}
