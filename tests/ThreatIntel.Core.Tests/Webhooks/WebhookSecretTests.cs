using ThreatIntel.Core.Webhooks;

namespace ThreatIntel.Core.Tests.Webhooks;

public sealed class WebhookSecretTests
{
    [Fact]
    public void Generated_secrets_are_whsec_and_32_random_bytes()
    {
        var first = WebhookSecret.Generate();
        var second = WebhookSecret.Generate();

        Assert.StartsWith("whsec_", first, StringComparison.Ordinal);
        Assert.True(WebhookSecret.TryGetKey(first, out var key));
        Assert.Equal(32, key.Length);
        Assert.NotEqual(first, second);
        Assert.True(first.Length <= FieldLimits.WebhookSecretMaxLength);
    }

    [Theory]
    [InlineData(24)]
    [InlineData(32)]
    [InlineData(64)]
    public void Secrets_of_24_to_64_bytes_are_accepted(int bytes)
    {
        var secret = "whsec_" + Convert.ToBase64String(Enumerable.Range(0, bytes).Select(i => (byte)i).ToArray());

        Assert.True(WebhookSecret.TryGetKey(secret, out var key));
        Assert.Equal(bytes, key.Length);
        Assert.True(secret.Length <= FieldLimits.WebhookSecretMaxLength);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("whsec_")]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa")]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8I LPZIo2LaLaSw")]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS!")]
    public void Malformed_or_short_secrets_are_refused(string? secret)
    {
        Assert.False(WebhookSecret.IsValid(secret));
    }

    [Fact]
    public void A_secret_longer_than_64_bytes_is_refused()
    {
        Assert.False(WebhookSecret.IsValid("whsec_" + Convert.ToBase64String(new byte[65])));
    }
}
