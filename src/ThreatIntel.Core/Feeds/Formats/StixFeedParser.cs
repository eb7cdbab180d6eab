using System.Text.Json;
using ThreatIntel.Core.AlertDefinitions;

namespace ThreatIntel.Core.Feeds.Formats;

/// <summary>
/// Reads a STIX 2.1 bundle, <c>{ "type": "bundle", "objects": [ ... ] }</c>, one object at a time (only the object being
/// read is held in memory). Each <c>indicator</c> whose <c>pattern_type</c> is <c>stix</c> (or absent) becomes one
/// alert definition whose IOCs are the comparisons of its pattern (<see cref="StixPatternParser"/>); every other object
/// (malware, relationship, identity, ...) is ignored.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Name: the indicator's <c>name</c>, or its <c>id</c> when it has none. When a later indicator has a name taken
/// by an earlier one (ignoring case), <c> (&lt;its id&gt;)</c> is appended to make it unique. Names are claimed in
/// bundle order, also by indicators that are then rejected, so fixing one indicator never renames another.</item>
/// <item>Description: <c>description</c> (over 4,000 characters is a row error, not truncated).</item>
/// <item>Severity: STIX has none; <c>x_threatintel_severity</c> (written by the exporter) when present, else Medium.
/// Category, recommended actions and the enabled flag likewise come from <c>x_threatintel_category</c>,
/// <c>x_threatintel_recommended_actions</c> and <c>x_threatintel_enabled</c> (true when absent).</item>
/// <item>Tags: <c>labels</c> then <c>indicator_types</c>, repeats dropped.</item>
/// <item>MITRE techniques: the <c>external_id</c> of each <c>external_references</c> entry from <c>mitre-attack</c>
/// (also <c>mitre-mobile-attack</c>, <c>mitre-ics-attack</c>) that is a technique id such as T1059 or T1059.001, and
/// any <c>kill_chain_phases</c> entry of those kill chains whose <c>phase_name</c> is one (ATT&amp;CK phases are
/// otherwise tactics, which are not kept).</item>
/// <item>IOCs: one per comparison of the pattern, expiring at <c>valid_until</c> when the indicator has one. The
/// entries of <c>x_threatintel_iocs</c> (the exporter's carrier for what a pattern cannot say: Contains, StartsWith,
/// EndsWith, FilePath, and per-IOC description, disabled flag and expiry) are added too, first, so that for an IOC
/// both in the pattern and there, the entry's details win.</item>
/// <item>Rejected with one row error at <c>objects[i] (&lt;id&gt;)</c>: a pattern that cannot be represented (the error's
/// value is the pattern, its reason names each unsupported construct), a <c>pattern_type</c> other than stix, an
/// indicator without pattern, an id that appears twice in the bundle (several versions of one indicator: send only
/// the latest). Invalid IOC values are row errors of their own at the same location. Revoked indicators
/// (<c>"revoked": true</c>) are skipped: they are withdrawn.</item>
/// <item>A body that is not JSON, or JSON that is not a bundle, throws <see cref="FeedFormatException"/>.</item>
/// </list>
/// </remarks>
public sealed class StixFeedParser : IFeedParser
{
    private static readonly string[] MitreSources = ["mitre-attack", "mitre-mobile-attack", "mitre-ics-attack"];

    public FeedFormat Format => FeedFormat.Stix;

    public async Task<ParsedFeed> ParseAsync(Stream body, FeedParseOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(options);

        var bundle = new BundleReader(new FeedBuilder(options));
        var reader = new JsonStreamReader(body);
        if (!await reader.ReadAsync(cancellationToken) || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FeedFormatException("The body is not a STIX bundle: expected { \"type\": \"bundle\", \"objects\": [ ... ] }.");
        }

        string? type = null;
        var index = 0;
        while (await reader.ReadPropertyNameAsync(cancellationToken) is { } property)
        {
            switch (property)
            {
                case "type":
                    var value = await reader.ReadValueOrEndAsync(cancellationToken);
                    type = value is { ValueKind: JsonValueKind.String } text ? text.GetString() : null;
                    if (type != "bundle")
                    {
                        throw new FeedFormatException(
                            $"The body is not a STIX bundle: its type is {(type is null ? JsonStreamReader.KindName(value?.ValueKind ?? JsonValueKind.Null) : $"'{type}'")}, not 'bundle'.");
                    }

                    break;
                case "objects":
                    await reader.ReadAsync(cancellationToken);
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        throw new FeedFormatException($"The bundle's 'objects' must be an array (byte {reader.TokenOffset}).");
                    }

                    while (await reader.ReadValueOrEndAsync(cancellationToken) is { } stixObject)
                    {
                        bundle.Read(stixObject, index++);
                    }

                    break;
                default:
                    await reader.ReadAsync(cancellationToken);
                    await reader.SkipAsync(cancellationToken);
                    break;
            }
        }

        await reader.ReadEndAsync(cancellationToken);
        if (type is null)
        {
            throw new FeedFormatException("The body is not a STIX bundle: it has no \"type\": \"bundle\".");
        }

        return bundle.Builder.Feed;
    }

    /// <summary>A technique or sub-technique id: <c>T1059</c>, <c>T1059.001</c>.</summary>
    internal static bool IsTechniqueId(string? text) =>
        text is { Length: 5 or 9 } && text[0] is 'T' or 't' && !text.AsSpan(1, 4).ContainsAnyExceptInRange('0', '9')
        && (text.Length == 5 || (text[5] == '.' && !text.AsSpan(6).ContainsAnyExceptInRange('0', '9')));

    private sealed class BundleReader(FeedBuilder builder)
    {
        private readonly HashSet<string> names = new(StringComparer.Ordinal);
        private readonly HashSet<string> ids = new(StringComparer.Ordinal);

        public FeedBuilder Builder => builder;

        public void Read(JsonElement stixObject, int index)
        {
            if (stixObject.ValueKind != JsonValueKind.Object)
            {
                builder.Reject($"objects[{index}]", JsonStreamReader.Describe(stixObject), "A STIX object must be a JSON object.");
                return;
            }

            if (!stixObject.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "indicator")
            {
                return;
            }

            var indicator = Indicator.Read(stixObject);
            var location = indicator.Id is null ? $"objects[{index}]" : $"objects[{index}] ({indicator.Id})";
            if (indicator.Revoked)
            {
                return;
            }

            if (indicator.Id is not null && !ids.Add(indicator.Id))
            {
                builder.Reject(location, null, "The indicator's id appears more than once in the bundle; send only its latest version.");
                return;
            }

            var name = ClaimName(indicator, location);
            if (name is null)
            {
                return;
            }

            if (indicator.PatternType is not null && indicator.PatternType != "stix")
            {
                builder.Reject(
                    location,
                    indicator.Pattern,
                    $"pattern_type '{indicator.PatternType}' is not supported; only STIX patterns (pattern_type 'stix') become IOCs.");
                return;
            }

            if (indicator.Problems.Count > 0)
            {
                JsonFields.Reject(builder, location, indicator.Problems);
                return;
            }

            if (string.IsNullOrWhiteSpace(indicator.Pattern))
            {
                builder.Reject(location, null, "pattern: An indicator needs a pattern.");
                return;
            }

            var pattern = StixPatternParser.Parse(indicator.Pattern);
            if (!pattern.IsSupported)
            {
                builder.Reject(location, indicator.Pattern, pattern.Problem!);
                return;
            }

            var metadata = new AlertDefinitionMetadata(
                name,
                indicator.Description,
                indicator.Severity ?? Severity.Medium,
                indicator.Category,
                indicator.MitreTechniques,
                indicator.RecommendedActions,
                indicator.Tags,
                indicator.Enabled ?? true);
            var definition = builder.Definition(metadata, location);
            if (definition is null)
            {
                builder.Feed.RowsRead += pattern.Comparisons.Count + indicator.Iocs.Count;
                return;
            }

            var suffix = indicator.Id is null ? string.Empty : $" ({indicator.Id})";
            for (var j = 0; j < indicator.Iocs.Count; j++)
            {
                JsonFields.AddIoc(builder, definition, indicator.Iocs[j], $"objects[{index}].x_threatintel_iocs[{j}]{suffix}");
            }

            foreach (var comparison in pattern.Comparisons)
            {
                builder.Ioc(definition, comparison.Type, comparison.Action, comparison.Value, null, true, indicator.ValidUntil, location);
            }
        }

        /// <summary>The definition name for an indicator, made unique; null (with the error recorded) when it has none.</summary>
        private string? ClaimName(Indicator indicator, string location)
        {
            var name = string.IsNullOrWhiteSpace(indicator.Name) ? indicator.Id : indicator.Name.Trim();
            if (string.IsNullOrWhiteSpace(name))
            {
                builder.Reject(location, null, "name: An indicator needs a name or an id.");
                return null;
            }

            if (names.Add(AlertDefinition.NormalizeName(name)))
            {
                return name;
            }

            var unique = indicator.Id is null ? null : $"{name} ({indicator.Id})";
            if (unique is not null && names.Add(AlertDefinition.NormalizeName(unique)))
            {
                return unique;
            }

            builder.Reject(location, name, $"definition '{name}' appears twice in the bundle");
            return null;
        }
    }

    /// <summary>The fields of one indicator object that become a definition.</summary>
    private sealed class Indicator
    {
        public string? Id { get; private set; }

        public string? Name { get; private set; }

        public string? Description { get; private set; }

        public string? Pattern { get; private set; }

        public string? PatternType { get; private set; }

        public bool Revoked { get; private set; }

        public Severity? Severity { get; private set; }

        public string? Category { get; private set; }

        public string? RecommendedActions { get; private set; }

        public bool? Enabled { get; private set; }

        public DateTime? ValidUntil { get; private set; }

        public List<string> Tags { get; } = [];

        public List<string> MitreTechniques { get; } = [];

        public List<JsonIocDraft> Iocs { get; } = [];

        public List<JsonFieldProblem> Problems { get; } = [];

        public static Indicator Read(JsonElement stixObject)
        {
            var indicator = new Indicator();
            var problems = indicator.Problems;
            List<string>? labels = null;
            List<string>? indicatorTypes = null;
            foreach (var property in stixObject.EnumerateObject())
            {
                var value = property.Value;
                switch (property.Name)
                {
                    case "id":
                        indicator.Id = JsonFields.String(value, "id", problems);
                        break;
                    case "name":
                        indicator.Name = JsonFields.String(value, "name", problems);
                        break;
                    case "description":
                        indicator.Description = JsonFields.String(value, "description", problems);
                        break;
                    case "pattern":
                        indicator.Pattern = JsonFields.String(value, "pattern", problems);
                        break;
                    case "pattern_type":
                        indicator.PatternType = JsonFields.String(value, "pattern_type", problems);
                        break;
                    case "revoked":
                        indicator.Revoked = JsonFields.Boolean(value, "revoked", problems) ?? false;
                        break;
                    case "valid_until":
                        indicator.ValidUntil = JsonFields.Time(value, "valid_until", problems);
                        break;
                    case "labels":
                        labels = JsonFields.Strings(value, "labels", problems);
                        break;
                    case "indicator_types":
                        indicatorTypes = JsonFields.Strings(value, "indicator_types", problems);
                        break;
                    case "external_references":
                        ReadTechniques(value, "external_id", "source_name", indicator.MitreTechniques);
                        break;
                    case "kill_chain_phases":
                        ReadTechniques(value, "phase_name", "kill_chain_name", indicator.MitreTechniques);
                        break;
                    case "x_threatintel_severity":
                        indicator.Severity = JsonFields.Enum<Severity>(value, "x_threatintel_severity", "severity", problems);
                        break;
                    case "x_threatintel_category":
                        indicator.Category = JsonFields.String(value, "x_threatintel_category", problems);
                        break;
                    case "x_threatintel_recommended_actions":
                        indicator.RecommendedActions = JsonFields.String(value, "x_threatintel_recommended_actions", problems);
                        break;
                    case "x_threatintel_enabled":
                        indicator.Enabled = JsonFields.Boolean(value, "x_threatintel_enabled", problems);
                        break;
                    case "x_threatintel_iocs":
                        if (value.ValueKind == JsonValueKind.Array)
                        {
                            foreach (var ioc in value.EnumerateArray())
                            {
                                indicator.Iocs.Add(JsonFields.ReadIoc(ioc));
                            }
                        }
                        else if (value.ValueKind != JsonValueKind.Null)
                        {
                            problems.Add(new JsonFieldProblem("x_threatintel_iocs", JsonStreamReader.Describe(value), "expected an array of IOC objects."));
                        }

                        break;
                    default:
                        break;
                }
            }

            foreach (var tag in (labels ?? []).Concat(indicatorTypes ?? []))
            {
                if (!indicator.Tags.Contains(tag.Trim(), StringComparer.OrdinalIgnoreCase))
                {
                    indicator.Tags.Add(tag.Trim());
                }
            }

            return indicator;
        }

        /// <summary>Collects technique ids from <c>external_references</c> or <c>kill_chain_phases</c> of ATT&amp;CK.</summary>
        private static void ReadTechniques(JsonElement value, string idProperty, string sourceProperty, List<string> techniques)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            foreach (var entry in value.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object
                    && entry.TryGetProperty(sourceProperty, out var source) && source.ValueKind == JsonValueKind.String
                    && MitreSources.Contains(source.GetString(), StringComparer.OrdinalIgnoreCase)
                    && entry.TryGetProperty(idProperty, out var id) && id.ValueKind == JsonValueKind.String
                    && id.GetString() is { } technique && IsTechniqueId(technique))
                {
                    var upper = technique.ToUpperInvariant();
                    if (!techniques.Contains(upper, StringComparer.Ordinal))
                    {
                        techniques.Add(upper);
                    }
                }
            }
        }
    }
}
