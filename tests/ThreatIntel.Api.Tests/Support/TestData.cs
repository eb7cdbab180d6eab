using System.Security.Cryptography;

namespace ThreatIntel.Api.Tests.Support;

/// <summary>Values unique to one test, so tests sharing a database never see each other's data.</summary>
internal static class TestData
{
    public static string Name(string prefix = "Definition") => $"{prefix} {Guid.NewGuid():N}";

    public static string Token() => Guid.NewGuid().ToString("N");

    public static string Md5() => Hex(16);

    public static string Sha1() => Hex(20);

    public static string Sha256() => Hex(32);

    /// <summary>A random address in 10.0.0.0/8.</summary>
    public static string IPv4()
    {
        Span<byte> bytes = stackalloc byte[3];
        RandomNumberGenerator.Fill(bytes);
        return $"10.{bytes[0]}.{bytes[1]}.{bytes[2]}";
    }

    public static string Domain() => $"d{Guid.NewGuid():N}.example.com";

    private static string Hex(int byteCount) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(byteCount));
}
