using System.Security.Cryptography;
using System.Text;

namespace ThreatIntel.Core.Webhooks;

/// <summary>
/// Signs and verifies webhook messages the Standard Webhooks way: HMAC-SHA256, keyed with the secret's key bytes,
/// over <c>{webhook-id}.{webhook-timestamp}.{body}</c>; the <c>webhook-signature</c> header is <c>v1,</c> and the base64
/// of the MAC (a receiver may be sent several space-separated signatures while a secret is rotated).
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    private const string VersionPrefix = "v1,";

    /// <summary>How far a message's timestamp may lie from the receiver's clock; older messages may be replays.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>The <c>webhook-signature</c> header value for one attempt to send <paramref name="body"/>.</summary>
    public static string Sign(string secret, string messageId, long timestamp, string body) =>
        VersionPrefix + Convert.ToBase64String(Mac(WebhookSecret.KeyOf(secret), messageId, timestamp, body));

    /// <summary>
    /// Whether a received message is genuine: one of its <c>v1</c> signatures matches (compared in constant time) and
    /// its timestamp lies within <see cref="Tolerance"/> of <paramref name="now"/>.
    /// </summary>
    public static bool Verify(
        string secret, string? messageId, string? timestampHeader, string? signatureHeader, string body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(messageId)
            || !long.TryParse(timestampHeader, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var timestamp)
            || string.IsNullOrEmpty(signatureHeader)
            || !WebhookSecret.TryGetKey(secret, out var key))
        {
            return false;
        }

        var age = now - DateTimeOffset.FromUnixTimeSeconds(timestamp);
        if (age > Tolerance || age < -Tolerance)
        {
            return false;
        }

        var expected = Mac(key, messageId, timestamp, body);
        foreach (var candidate in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (candidate.StartsWith(VersionPrefix, StringComparison.Ordinal)
                && TryDecode(candidate[VersionPrefix.Length..], out var actual)
                && CryptographicOperations.FixedTimeEquals(expected, actual))
            {
                return true;
            }
        }

        return false;
    }

    private static byte[] Mac(byte[] key, string messageId, long timestamp, string body) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(string.Create(
            System.Globalization.CultureInfo.InvariantCulture, $"{messageId}.{timestamp}.{body}")));

    private static bool TryDecode(string base64, out byte[] bytes)
    {
        bytes = new byte[HMACSHA256.HashSizeInBytes];
        return Convert.TryFromBase64String(base64, bytes, out var written) && written == HMACSHA256.HashSizeInBytes;
    }
}
