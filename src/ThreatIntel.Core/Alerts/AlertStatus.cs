namespace ThreatIntel.Core.Alerts;

/// <summary>Where an alert is in an analyst's triage; New and InProgress are open.</summary>
public enum AlertStatus
{
    New,
    InProgress,
    Resolved,
    FalsePositive,
}
