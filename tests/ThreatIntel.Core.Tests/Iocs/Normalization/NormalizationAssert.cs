using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Iocs.Normalization;

namespace ThreatIntel.Core.Tests.Iocs.Normalization;

/// <summary>Assertions that show the rejection reason, or the accepted value, when a normalisation test fails.</summary>
internal static class NormalizationAssert
{
    public static void NormalizesTo(string expected, IocType type, IocAction action, string? value)
    {
        var result = IocValueNormalizer.Normalize(type, action, value);
        Assert.True(result.IsValid, $"{type}/{action} rejected '{value}': {result.Error}");
        Assert.Equal(expected, result.Value);
    }

    public static void IsKept(IocType type, IocAction action, string value) => NormalizesTo(value, type, action, value);

    /// <returns>The error, for tests that check what it says.</returns>
    public static string Rejects(IocType type, IocAction action, string? value)
    {
        var result = IocValueNormalizer.Normalize(type, action, value);
        Assert.False(result.IsValid, $"{type}/{action} accepted '{value}' as '{result.Value}'.");
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
        return result.Error;
    }
}
