using ThreatIntel.Core.Webhooks;

namespace ThreatIntel.Core.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    // Computed outside .NET, with both `python3 -c 'import hmac, hashlib, base64; ...'` and
    // `printf %s "$signed" | openssl dgst -sha256 -mac HMAC -macopt hexkey:0102...20 -binary | base64`.
    private const string Secret = "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
    private const string MessageId = "msg_42";
    private const long Timestamp = 1764800000;
    private const string Body = """{"type":"alert.raised","timestamp":"2025-12-03T22:13:20Z","data":{"id":"0193a8f0-0000-7000-8000-000000000001"}}""";
    private const string ExpectedSignature = "v1,IOVP+qFd+R9DWs45aWoCa5R47ufnoIV/rFn8Q6XioSM=";

    private static readonly DateTimeOffset SentAt = DateTimeOffset.FromUnixTimeSeconds(Timestamp);

    [Fact]
    public void Signs_like_an_independent_hmac_sha256_over_id_timestamp_and_body()
    {
        Assert.Equal(ExpectedSignature, WebhookSignature.Sign(Secret, MessageId, Timestamp, Body));
    }

    [Fact]
    public void Matches_the_standard_webhooks_example_with_a_24_byte_key()
    {
        // The example of the Standard Webhooks specification, recomputed with Python's hmac module.
        var signature = WebhookSignature.Sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}""");

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void Verify_accepts_a_genuine_message_within_the_tolerance()
    {
        Assert.True(WebhookSignature.Verify(Secret, MessageId, "1764800000", ExpectedSignature, Body, SentAt));
        Assert.True(WebhookSignature.Verify(Secret, MessageId, "1764800000", ExpectedSignature, Body, SentAt.AddMinutes(4)));
        Assert.True(WebhookSignature.Verify(Secret, MessageId, "1764800000", ExpectedSignature, Body, SentAt.AddMinutes(-4)));
    }

    [Fact]
    public void Verify_accepts_any_of_several_signatures_as_sent_during_a_secret_rotation()
    {
        var header = $"v1,{Convert.ToBase64String(new byte[32])} {ExpectedSignature}";

        Assert.True(WebhookSignature.Verify(Secret, MessageId, "1764800000", header, Body, SentAt));
    }

    [Theory]
    [InlineData("msg_43", "1764800000", ExpectedSignature, Body, "another message id")]
    [InlineData(MessageId, "1764800001", ExpectedSignature, Body, "another timestamp")]
    [InlineData(MessageId, "1764800000", ExpectedSignature, Body + " ", "a changed body")]
    [InlineData(MessageId, "1764800000", "v2,IOVP+qFd+R9DWs45aWoCa5R47ufnoIV/rFn8Q6XioSM=", Body, "an unknown version")]
    [InlineData(MessageId, "1764800000", "v1,JOVP+qFd+R9DWs45aWoCa5R47ufnoIV/rFn8Q6XioSM=", Body, "a changed signature")]
    [InlineData(MessageId, "1764800000", "v1,not base64!", Body, "a malformed signature")]
    [InlineData(MessageId, "not a number", ExpectedSignature, Body, "a malformed timestamp")]
    [InlineData(MessageId, "-1764800000", ExpectedSignature, Body, "a signed timestamp")]
    [InlineData("", "1764800000", ExpectedSignature, Body, "no message id")]
    [InlineData(MessageId, "1764800000", "", Body, "no signature")]
    public void Verify_refuses_anything_altered(string messageId, string timestamp, string signature, string body, string what)
    {
        Assert.False(WebhookSignature.Verify(Secret, messageId, timestamp, signature, body, SentAt), what);
    }

    [Fact]
    public void Verify_refuses_a_genuine_message_outside_the_tolerance()
    {
        Assert.False(WebhookSignature.Verify(Secret, MessageId, "1764800000", ExpectedSignature, Body, SentAt.AddMinutes(6)));
        Assert.False(WebhookSignature.Verify(Secret, MessageId, "1764800000", ExpectedSignature, Body, SentAt.AddMinutes(-6)));
    }

    [Fact]
    public void Verify_refuses_a_signature_made_with_another_secret()
    {
        var other = WebhookSecret.Generate();

        Assert.False(WebhookSignature.Verify(other, MessageId, "1764800000", ExpectedSignature, Body, SentAt));
    }

    [Fact]
    public void A_signature_verifies_with_its_own_secret_for_any_body()
    {
        var secret = WebhookSecret.Generate();
        const string body = """{"type":"alert.updated","data":{"iocValue":"évil.example – ünïcode"}}""";
        var signature = WebhookSignature.Sign(secret, "msg_7", Timestamp, body);

        Assert.True(WebhookSignature.Verify(secret, "msg_7", "1764800000", signature, body, SentAt));
    }
}
