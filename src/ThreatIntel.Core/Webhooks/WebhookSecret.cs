using System.Buffers.Text;
using System.Security.Cryptography;

namespace ThreatIntel.Core.Webhooks;

/// <summary>
/// A Standard Webhooks signing secret: <c>whsec_</c> followed by the base64 of the HMAC key. Generated secrets carry
/// 256 random bits; a secret a client brings must hold 24 to 64 bytes, the range Standard Webhooks libraries accept.
/// </summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";
    public const int MinimumKeyBytes = 24;
    public const int MaximumKeyBytes = 64;
    private const int GeneratedKeyBytes = 32;

    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedKeyBytes));

    public static bool IsValid(string? secret) => TryGetKey(secret, out _);

    /// <summary>The HMAC key the secret encodes; false when it is not a well-formed secret.</summary>
    public static bool TryGetKey(string? secret, out byte[] key)
    {
        key = [];
        if (secret is null || !secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var encoded = secret.AsSpan(Prefix.Length);
        // Base64.IsValid skips white space; a secret is copied around too often for spaces inside it to be harmless.
        if (encoded.ContainsAny(" \t\r\n") || !Base64.IsValid(encoded, out var length) || length is < MinimumKeyBytes or > MaximumKeyBytes)
        {
            return false;
        }

        key = Convert.FromBase64String(encoded.ToString());
        return true;
    }

    /// <summary>The HMAC key of a secret already known to be valid (a stored one).</summary>
    public static byte[] KeyOf(string secret) =>
        TryGetKey(secret, out var key) ? key : throw new FormatException("The webhook secret is not 'whsec_' and base64 of 24 to 64 bytes.");
}
