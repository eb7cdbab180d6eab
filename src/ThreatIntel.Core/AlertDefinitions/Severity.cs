namespace ThreatIntel.Core.AlertDefinitions;

/// <summary>How urgent an alert raised by a definition is; ordered from least to most severe.</summary>
public enum Severity
{
    Informational = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}
