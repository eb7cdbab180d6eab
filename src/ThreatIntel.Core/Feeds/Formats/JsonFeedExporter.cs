using System.Text.Encodings.Web;
using System.Text.Json;

namespace ThreatIntel.Core.Feeds.Formats;

/// <summary>
/// Writes a feed in the native JSON format that <see cref="JsonFeedParser"/> reads, with every field of every
/// definition and IOC (nulls written as null, <c>expiresAt</c> as ISO-8601 UTC ending in Z), straight to the output:
/// the writer is flushed after each definition and whenever a large definition has filled its buffer.
/// </summary>
public sealed class JsonFeedExporter : IFeedExporter
{
    /// <summary>Bytes the writer may hold before they are pushed to the output.</summary>
    internal const int FlushThreshold = 64 * 1024;

    internal static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,

        // The output is a download, not HTML: keep quotes, '+', '<' and non-ASCII text readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public FeedFormat Format => FeedFormat.Json;

    public string ContentType => "application/json";

    public async Task WriteAsync(
        string feedName, IAsyncEnumerable<FeedDefinition> definitions, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(output);

        await using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartArray("definitions");
        await foreach (var definition in definitions.WithCancellation(cancellationToken))
        {
            var metadata = definition.Metadata;
            writer.WriteStartObject();
            writer.WriteString("name", metadata.Name);
            writer.WriteString("description", metadata.Description);
            writer.WriteString("severity", metadata.Severity.ToString());
            writer.WriteString("category", metadata.Category);
            WriteStrings(writer, "mitreTechniques", metadata.MitreTechniques);
            writer.WriteString("recommendedActions", metadata.RecommendedActions);
            WriteStrings(writer, "tags", metadata.Tags);
            writer.WriteBoolean("enabled", metadata.Enabled);
            writer.WriteStartArray("iocs");
            foreach (var ioc in definition.Iocs)
            {
                WriteIoc(writer, ioc);
                if (writer.BytesPending > FlushThreshold)
                {
                    await writer.FlushAsync(cancellationToken);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            await writer.FlushAsync(cancellationToken);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
    }

    /// <summary>One IOC as the native format (and STIX's <c>x_threatintel_iocs</c>) holds it.</summary>
    internal static void WriteIoc(Utf8JsonWriter writer, FeedIoc ioc)
    {
        writer.WriteStartObject();
        writer.WriteString("type", ioc.Type.ToString());
        writer.WriteString("value", ioc.Value);
        writer.WriteString("action", ioc.Action.ToString());
        writer.WriteString("description", ioc.Description);
        writer.WriteBoolean("enabled", ioc.Enabled);
        if (ioc.ExpiresAt is { } expiresAt)
        {
            writer.WriteString("expiresAt", JsonFields.FormatTime(expiresAt));
        }
        else
        {
            writer.WriteNull("expiresAt");
        }

        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
