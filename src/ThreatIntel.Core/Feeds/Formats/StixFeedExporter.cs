using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Feeds.Formats;

/// <summary>
/// Writes a feed as a STIX 2.1 bundle with one <c>indicator</c> per definition, straight to the output (flushed per
/// definition, and within a large one), such that <see cref="StixFeedParser"/> reads back exactly the same definitions
/// and IOCs.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>id</c>: <c>indicator--</c> and a name-based UUID (version 5, SHA-1) of the feed name and the definition
/// name, so that every export gives a definition the same id. <c>created</c> and <c>valid_from</c> are when the
/// definition was created, <c>modified</c> when it last changed, so that an unchanged definition exports as the same
/// object version every time (STIX consumers such as OpenCTI and MISP version objects by <c>modified</c>); a
/// definition without stored times (not read from the database) gets the time of the export.</item>
/// <item><c>pattern</c>: one observation per IOC joined by OR, <c>[path = 'value'] OR [path MATCHES 'regex']</c>
/// (values escaped; InRange as <c>=</c> with the CIDR), for every IOC whose type has a STIX object path
/// (<see cref="StixObjectPaths"/>) and whose action is Equals, InRange or Regex. A definition with no such IOC gets
/// <see cref="StixObjectPaths.NoIocPattern"/>.</item>
/// <item><c>x_threatintel_iocs</c>: what the pattern cannot carry, as objects of the native JSON format
/// (<c>type</c>, <c>value</c>, <c>action</c>, <c>description</c>, <c>enabled</c>, <c>expiresAt</c>): IOCs whose action
/// is Contains, StartsWith or EndsWith, FilePath IOCs, and IOCs with a description, disabled, or with an expiry other
/// than the indicator's <c>valid_until</c> (those stay in the pattern too, for other STIX consumers).</item>
/// <item><c>valid_until</c>: written when every IOC of the definition expires at the same time, later than
/// <c>valid_from</c>.</item>
/// <item><c>labels</c> = tags; MITRE techniques as <c>external_references</c> of source <c>mitre-attack</c>; severity,
/// category, recommended actions and the enabled flag as <c>x_threatintel_severity</c>, <c>x_threatintel_category</c>,
/// <c>x_threatintel_recommended_actions</c> and <c>x_threatintel_enabled</c>.</item>
/// </list>
/// </remarks>
public sealed class StixFeedExporter(TimeProvider timeProvider) : IFeedExporter
{
    /// <summary>The namespace of the name-based indicator ids (a constant of this product).</summary>
    private static readonly Guid IdNamespace = new("3d9c1b6e-52a4-4f0e-9b7d-6c1f0a2e8b45");

    public StixFeedExporter()
        : this(TimeProvider.System)
    {
    }

    public FeedFormat Format => FeedFormat.Stix;

    public string ContentType => "application/stix+json";

    public async Task WriteAsync(
        string feedName, IAsyncEnumerable<FeedDefinition> definitions, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedName);
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(output);

        var now = timeProvider.GetUtcNow().UtcDateTime;

        await using var writer = new Utf8JsonWriter(output, JsonFeedExporter.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("type", "bundle");
        writer.WriteString("id", $"bundle--{Guid.NewGuid()}");
        writer.WriteStartArray("objects");
        await foreach (var definition in definitions.WithCancellation(cancellationToken))
        {
            await WriteIndicatorAsync(writer, feedName, definition, now, cancellationToken);
            await writer.FlushAsync(cancellationToken);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
    }

    /// <summary>The id the exporter gives a definition of a feed: <c>indicator--</c> and a UUID version 5.</summary>
    public static string IndicatorId(string feedName, string definitionName)
    {
        ArgumentNullException.ThrowIfNull(feedName);
        ArgumentNullException.ThrowIfNull(definitionName);
        return $"indicator--{NameBasedUuid(IdNamespace, $"{feedName}\n{definitionName.Trim()}")}";
    }

    private static async Task WriteIndicatorAsync(
        Utf8JsonWriter writer, string feedName, FeedDefinition definition, DateTime exportedAt, CancellationToken cancellationToken)
    {
        var metadata = definition.Metadata;
        var created = ToMilliseconds(definition.CreatedAt ?? exportedAt);
        var modified = ToMilliseconds(definition.UpdatedAt ?? exportedAt);
        modified = modified < created ? created : modified;
        var validUntil = CommonExpiry(definition.Iocs, created);

        writer.WriteStartObject();
        writer.WriteString("type", "indicator");
        writer.WriteString("spec_version", "2.1");
        writer.WriteString("id", IndicatorId(feedName, metadata.Name));
        writer.WriteString("created", Timestamp(created));
        writer.WriteString("modified", Timestamp(modified));
        writer.WriteString("name", metadata.Name);
        if (metadata.Description is not null)
        {
            writer.WriteString("description", metadata.Description);
        }

        writer.WriteString("pattern_type", "stix");
        writer.WriteString("pattern_version", "2.1");
        await WritePatternAsync(writer, definition.Iocs, cancellationToken);
        writer.WriteString("valid_from", Timestamp(created));
        if (validUntil is { } until)
        {
            writer.WriteString("valid_until", JsonFields.FormatTime(until));
        }

        if (metadata.Tags.Count > 0)
        {
            writer.WriteStartArray("labels");
            foreach (var tag in metadata.Tags)
            {
                writer.WriteStringValue(tag);
            }

            writer.WriteEndArray();
        }

        if (metadata.MitreTechniques.Count > 0)
        {
            writer.WriteStartArray("external_references");
            foreach (var technique in metadata.MitreTechniques)
            {
                var id = technique.Trim().ToUpperInvariant();
                writer.WriteStartObject();
                writer.WriteString("source_name", "mitre-attack");
                writer.WriteString("external_id", id);
                writer.WriteString("url", $"https://attack.mitre.org/techniques/{id.Replace('.', '/')}/");
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteString("x_threatintel_severity", metadata.Severity.ToString());
        if (metadata.Category is not null)
        {
            writer.WriteString("x_threatintel_category", metadata.Category);
        }

        if (metadata.RecommendedActions is not null)
        {
            writer.WriteString("x_threatintel_recommended_actions", metadata.RecommendedActions);
        }

        writer.WriteBoolean("x_threatintel_enabled", metadata.Enabled);

        var wroteCarrier = false;
        foreach (var ioc in definition.Iocs)
        {
            if (StixObjectPaths.CanWrite(ioc.Type, ioc.Action, ioc.Value)
                && ioc.Description is null && ioc.Enabled && ioc.ExpiresAt == validUntil)
            {
                continue;
            }

            if (!wroteCarrier)
            {
                writer.WriteStartArray("x_threatintel_iocs");
                wroteCarrier = true;
            }

            JsonFeedExporter.WriteIoc(writer, ioc);
            if (writer.BytesPending > JsonFeedExporter.FlushThreshold)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        if (wroteCarrier)
        {
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes <c>"pattern"</c> in segments, so that a definition with many IOCs is not first built as one string.
    /// </summary>
    private static async Task WritePatternAsync(Utf8JsonWriter writer, IReadOnlyList<FeedIoc> iocs, CancellationToken cancellationToken)
    {
        writer.WritePropertyName("pattern");
        var any = false;
        var segment = new StringBuilder();
        foreach (var ioc in iocs)
        {
            if (!StixObjectPaths.CanWrite(ioc.Type, ioc.Action, ioc.Value))
            {
                continue;
            }

            segment.Clear();
            if (any)
            {
                segment.Append(" OR ");
            }

            segment.Append('[')
                .Append(StixObjectPaths.PathOf(ioc.Type, ioc.Value))
                .Append(ioc.Action == IocAction.Regex ? " MATCHES " : " = ")
                .Append(StixPatternParser.Quote(ioc.Value))
                .Append(']');
            writer.WriteStringValueSegment(segment.ToString(), isFinalSegment: false);
            any = true;
            if (writer.BytesPending > JsonFeedExporter.FlushThreshold)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        writer.WriteStringValueSegment(any ? string.Empty : StixObjectPaths.NoIocPattern, isFinalSegment: true);
    }

    /// <summary>The expiry every IOC shares, when they share one later than <paramref name="validFrom"/>.</summary>
    /// <summary>STIX timestamps carry at most milliseconds here, so that every export of a definition writes the same text.</summary>
    private static DateTime ToMilliseconds(DateTime time) => AsUtc(time.AddTicks(-(time.Ticks % TimeSpan.TicksPerMillisecond)));

    private static string Timestamp(DateTime time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static DateTime? CommonExpiry(IReadOnlyList<FeedIoc> iocs, DateTime validFrom)
    {
        if (iocs.Count == 0 || iocs[0].ExpiresAt is not { } first || AsUtc(first) <= validFrom)
        {
            return null;
        }

        return iocs.All(i => i.ExpiresAt == first) ? first : null;
    }

    private static DateTime AsUtc(DateTime time) =>
        time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime();

    /// <summary>A name-based UUID, version 5 (RFC 9562): SHA-1 of the namespace and the UTF-8 name.</summary>
    private static Guid NameBasedUuid(Guid @namespace, string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        @namespace.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);

        // SHA-1 is what version 5 is defined with; it names, it does not protect anything.
#pragma warning disable CA5350
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
