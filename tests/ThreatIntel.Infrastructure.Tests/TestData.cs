using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Infrastructure.Tests;

/// <summary>Domain objects as the API would build them. Names are made unique because a database is shared by a test class.</summary>
internal static class TestData
{
    public static string UniqueName(string name) => $"{name} {Guid.NewGuid():N}";

    public static AlertDefinitionMetadata Metadata(string name, string? description = null) => new(
        name,
        description,
        Severity.High,
        "Malware",
        ["T1059.001"],
        "Isolate the host.",
        ["ransomware"],
        Enabled: true);

    public static AlertDefinition Definition(string name, DateTime? now = null) =>
        AlertDefinition.Create(Metadata(name), now ?? DateTime.UtcNow);

    public static IocSpecification Ioc(IocType type, IocAction action, string value) =>
        new(type, action, value, Description: null, Enabled: true, ExpiresAt: null);
}
