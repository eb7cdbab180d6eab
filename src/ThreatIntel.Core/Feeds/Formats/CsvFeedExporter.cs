using System.Globalization;
using CsvHelper;

namespace ThreatIntel.Core.Feeds.Formats;

/// <summary>
/// Writes a feed as CSV (<c>text/csv</c>) that <see cref="CsvFeedParser"/> reads back to the same definitions and IOCs:
/// the header <c>definition,type,value,action,severity,description,expiresAt</c>, then one row per IOC, written with
/// CsvHelper (RFC 4180: UTF-8 without a byte order mark, CRLF line ends, fields with a comma, quote or line break
/// quoted). The action is always written out, even where it is the type's default; <c>expiresAt</c> is UTC in the
/// round-trip form <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>, empty for never.
/// <para>CSV cannot hold everything a feed can, so an export in CSV loses:</para>
/// <list type="bullet">
/// <item>definitions without IOCs: CSV has rows only for IOCs, so such a definition is not in the output at all (and
/// pushing the export back with a sync removes it);</item>
/// <item>every field of a definition but its name and severity: description, category, MITRE techniques, recommended
/// actions, tags and enabled (pushing the export back clears them, as CSV definitions have none);</item>
/// <item>whether an IOC is enabled: disabled IOCs are written like the others and come back enabled.</item>
/// </list>
/// Use the JSON format for a lossless export. Values are written as they are stored; no spreadsheet-formula escaping
/// is applied, since it would change them.
/// </summary>
public sealed class CsvFeedExporter : IFeedExporter
{
    private const string ExpiryFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private static readonly CsvWriterOptions WriterOptions = CsvWriterOptions.Default with
    {
        Separator = ',',
        Mode = CsvMode.Rfc4180,
        Quoting = CsvQuoting.WhenNeeded,
        Injection = CsvInjection.None,
        WriteByteOrderMark = false,
        NewLine = "\r\n",
    };

    public FeedFormat Format => FeedFormat.Csv;

    public string ContentType => "text/csv";

    public async Task WriteAsync(
        string feedName,
        IAsyncEnumerable<FeedDefinition> definitions,
        Stream output,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(output);

        var writer = CsvWriter.Create(output, WriterOptions, leaveOpen: true);
        await using (writer)
        {
            await writer.WriteRecordAsync([.. CsvFeedParser.Columns], cancellationToken);
            var fields = new string?[CsvFeedParser.Columns.Count];
            await foreach (var definition in definitions.WithCancellation(cancellationToken))
            {
                var name = definition.Metadata.Name;
                var severity = definition.Metadata.Severity.ToString();
                foreach (var ioc in definition.Iocs)
                {
                    fields[0] = name;
                    fields[1] = ioc.Type.ToString();
                    fields[2] = ioc.Value;
                    fields[3] = ioc.Action.ToString();
                    fields[4] = severity;
                    fields[5] = ioc.Description;
                    fields[6] = FormatExpiry(ioc.ExpiresAt);
                    await writer.WriteRecordAsync(fields, cancellationToken);
                }
            }

            await writer.FlushAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The expiry in UTC. Times read back from a database without their kind (<see cref="DateTimeKind.Unspecified"/>)
    /// are UTC, as the service stores them.
    /// </summary>
    internal static string? FormatExpiry(DateTime? expiresAt) => expiresAt switch
    {
        null => null,
        { Kind: DateTimeKind.Local } local => local.ToUniversalTime().ToString(ExpiryFormat, CultureInfo.InvariantCulture),
        { } utc => utc.ToString(ExpiryFormat, CultureInfo.InvariantCulture),
    };
}
