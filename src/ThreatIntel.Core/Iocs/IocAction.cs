namespace ThreatIntel.Core.Iocs;

/// <summary>The match operator: how an observed value is compared with the IOC value.</summary>
public enum IocAction
{
    Equals,
    InRange,
    StartsWith,
    EndsWith,
    Contains,
    Regex,
}
