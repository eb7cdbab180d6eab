using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Iocs.Normalization;

namespace ThreatIntel.Core.Feeds;

/// <summary>
/// What every format parser shares: it validates and normalises definitions and IOCs as they are read, files IOCs
/// under their definition by name (case-insensitive, as names are unique), keeps one IOC per identity within a
/// definition (the first; a repeat of the same value in one push is not an error), and records every rejected row.
/// </summary>
public sealed class FeedBuilder(FeedParseOptions options)
{
    private readonly ParsedFeed feed = new();
    private readonly Dictionary<string, Entry> byName = new(StringComparer.Ordinal);

    public ParsedFeed Feed => feed;

    /// <summary>
    /// The definition named by <paramref name="metadata"/>, created on first sight. A later row naming the same
    /// definition joins it; when <paramref name="replaceMetadata"/> is set its metadata replaces what was read before
    /// (formats that repeat metadata on every row, such as CSV, keep the last). Null, with the errors recorded, when
    /// the metadata is invalid.
    /// </summary>
    public FeedDefinition? Definition(AlertDefinitionMetadata metadata, string location, bool replaceMetadata = false)
    {
        var problems = AlertDefinitionRules.Check(metadata).ToList();
        if (problems.Count > 0)
        {
            foreach (var (field, message) in problems)
            {
                Reject(location, field == "name" ? metadata.Name : null, $"{field}: {message}");
            }

            return null;
        }

        var key = AlertDefinition.NormalizeName(metadata.Name);
        if (byName.TryGetValue(key, out var entry))
        {
            if (replaceMetadata)
            {
                entry.Definition.Metadata = metadata;
            }

            return entry.Definition;
        }

        var definition = new FeedDefinition(metadata);
        byName.Add(key, new Entry(definition, []));
        feed.Definitions.Add(definition);
        return definition;
    }

    /// <summary>
    /// Validates and normalises one IOC and adds it to <paramref name="definition"/>; records why when it cannot.
    /// Counts as one row read either way.
    /// </summary>
    /// <returns>Whether the IOC is valid (also when it repeated one already added).</returns>
    public bool Ioc(
        FeedDefinition definition,
        IocType type,
        IocAction? action,
        string? rawValue,
        string? description,
        bool enabled,
        DateTime? expiresAt,
        string location)
    {
        feed.RowsRead++;
        var chosenAction = action ?? IocTypeRules.DefaultAction(type, rawValue?.Trim());
        if (!IocTypeRules.IsAllowed(type, chosenAction))
        {
            return Reject(location, rawValue, $"{type} IOCs take {string.Join(", ", IocTypeRules.AllowedActions(type))}, not {chosenAction}.");
        }

        var normalized = IocValueNormalizer.Normalize(type, chosenAction, rawValue);
        if (!normalized.IsValid)
        {
            return Reject(location, rawValue, normalized.Error);
        }

        if (description?.Length > FieldLimits.IocDescriptionMaxLength)
        {
            return Reject(location, rawValue, $"The description must be {FieldLimits.IocDescriptionMaxLength} characters or fewer.");
        }

        if (expiresAt is { Kind: not DateTimeKind.Utc })
        {
            return Reject(location, rawValue, "expiresAt must be a UTC time (ending in Z or +00:00).");
        }

        var identity = IocIdentity.Of(type, chosenAction, normalized.Value);
        var entry = byName[AlertDefinition.NormalizeName(definition.Metadata.Name)];
        if (entry.Identities.Add(identity))
        {
            definition.Iocs.Add(new FeedIoc(identity, normalized.Value, description, enabled, expiresAt));
        }

        return true;
    }

    /// <summary>Records a rejected row; always false, so a parser can <c>return Reject(...)</c>.</summary>
    public bool Reject(string location, string? value, string reason)
    {
        feed.AddError(new FeedRowError(location, value, reason), options.MaxReportedErrors);
        return false;
    }

    private sealed record Entry(FeedDefinition Definition, HashSet<IocIdentity> Identities);
}
