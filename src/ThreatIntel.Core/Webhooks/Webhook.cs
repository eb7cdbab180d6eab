using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Alerts;

namespace ThreatIntel.Core.Webhooks;

/// <summary>
/// A receiver of alert changes: its URL, the secret its messages are signed with, and which alerts it wants.
/// </summary>
public sealed class Webhook
{
    private Webhook()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public string Url { get; private set; } = string.Empty;

    /// <summary>The Standard Webhooks signing secret (<c>whsec_</c> and base64 of the key bytes).</summary>
    public string Secret { get; private set; } = string.Empty;

    /// <summary>Only alerts at least this severe are sent; null sends all.</summary>
    public Severity? MinimumSeverity { get; private set; }

    /// <summary>Only alerts of these definitions are sent; empty sends all.</summary>
    public List<Guid> AlertDefinitionIds { get; private set; } = [];

    public bool Enabled { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public string CreatedBy { get; private set; } = string.Empty;

    public DateTime UpdatedAt { get; private set; }

    public string UpdatedBy { get; private set; } = string.Empty;

    public Guid Version { get; private set; }

    public static Webhook Create(
        string name, string url, string secret, Severity? minimumSeverity, IReadOnlyCollection<Guid> alertDefinitionIds, bool enabled, DateTime now) => new()
    {
        Id = Guid.CreateVersion7(now),
        Name = name,
        Url = url,
        Secret = secret,
        MinimumSeverity = minimumSeverity,
        AlertDefinitionIds = [.. alertDefinitionIds.Distinct()],
        Enabled = enabled,
        CreatedAt = now,
        UpdatedAt = now,
        Version = Guid.NewGuid(),
    };

    /// <summary>Replaces the settings; a null secret keeps the current one.</summary>
    public void Update(
        string name, string url, string? secret, Severity? minimumSeverity, IReadOnlyCollection<Guid> alertDefinitionIds, bool enabled, DateTime now)
    {
        Name = name;
        Url = url;
        Secret = secret ?? Secret;
        MinimumSeverity = minimumSeverity;
        AlertDefinitionIds = [.. alertDefinitionIds.Distinct()];
        Enabled = enabled;
        UpdatedAt = now;
        Version = Guid.NewGuid();
    }

    /// <summary>Whether this webhook is sent the change.</summary>
    public bool Wants(AlertChange change) =>
        Enabled
        && (MinimumSeverity is not { } minimum || change.Severity >= minimum)
        && (AlertDefinitionIds.Count == 0 || AlertDefinitionIds.Contains(change.AlertDefinitionId));
}
