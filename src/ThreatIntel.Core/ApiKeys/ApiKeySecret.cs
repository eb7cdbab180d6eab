using System.Security.Cryptography;
using System.Text;

namespace ThreatIntel.Core.ApiKeys;

/// <summary>
/// The secret a caller presents in <c>X-Api-Key</c>. Generated keys are <c>ti_</c> followed by 192 random bits;
/// the first <see cref="PrefixLength"/> characters identify the stored key (and are safe to show), the whole
/// secret is only ever stored as its SHA-256. A key is random and long, so a fast hash is enough: nobody can
/// guess a 192-bit value from its hash, which is why slow password hashes are not needed here.
/// </summary>
public static class ApiKeySecret
{
    public const string Marker = "ti_";
    public const int PrefixLength = 12;
    public const int MaximumLength = 256;

    /// <summary>Shorter configured keys are accepted (the operator chose them) but logged as weak.</summary>
    public const int RecommendedMinimumLength = 24;
    private const int RandomBytes = 24;

    public static string Generate() =>
        Marker + Convert.ToBase64String(RandomNumberGenerator.GetBytes(RandomBytes))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Printable ASCII without spaces, at most <see cref="MaximumLength"/> characters.</summary>
    public static bool HasValidShape(string? secret) =>
        secret is { Length: > 0 and <= MaximumLength } && secret.All(c => c > ' ' && c < 127);

    public static string PrefixOf(string secret) => secret[..Math.Min(PrefixLength, secret.Length)];

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Constant-time comparison, so response timing reveals nothing about how much of a key was right.</summary>
    public static bool Matches(string secret, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);
}
