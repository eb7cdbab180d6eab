using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Feeds.Formats;

/// <summary>
/// Reads a CSV feed (<c>text/csv</c>, RFC 4180) record by record with CsvHelper, never holding the body in memory.
/// <list type="bullet">
/// <item>The first record is the header: <c>definition,type,value,action,severity,description,expiresAt</c>. Names
/// are matched ignoring case and surrounding blanks, in any order; <c>definition</c>, <c>type</c> and <c>value</c>
/// are required (a missing one is one error at the header's line, <c>line 1</c>, and nothing is read); the other
/// columns are optional and unknown columns are ignored. A column named twice is an error too.</item>
/// <item>The separator is always a comma. Fields may be quoted, with <c>""</c> for a quote and commas and line
/// breaks inside; records end with CRLF or LF; a UTF-8 byte order mark is skipped. Empty lines and records whose
/// fields are all blank are skipped. Fields are trimmed.</item>
/// <item>Errors name the physical line where the record starts, <c>line N</c> (the header is usually line 1; a
/// quoted field with line breaks makes the following records start further down). A record with broken quoting (a
/// stray quote <c>a"b</c>, text after a closing quote <c>"a"b</c>) is a rejected row. A quote that is never closed
/// would swallow the rest of the body into one field, so it rejects the whole push with a
/// <see cref="FeedFormatException"/> naming its line, as does a record over 1 MiB.</item>
/// <item><c>type</c>: an <see cref="IocType"/> name, any case (numbers are not accepted). <c>action</c>: an
/// <see cref="IocAction"/> name, any case, or empty for the type's default (<see cref="IocTypeRules.DefaultAction"/>:
/// <c>Equals</c>, <c>InRange</c> for a CIDR, <c>EndsWith</c> for a domain, <c>StartsWith</c> for a URL).
/// <c>severity</c>: a <see cref="Severity"/> name, any case, or empty. <c>description</c>: empty for none.
/// <c>expiresAt</c>: empty for never, or an ISO-8601 time with its offset (<c>2026-12-31T23:59:59Z</c>,
/// <c>2026-12-31T23:59:59.5+00:00</c>); another offset is converted to UTC, a time without one is refused.</item>
/// <item>Each row names its definition; rows naming the same definition (ignoring case) share it. A definition read
/// from CSV has only a name and a severity: no description, category, MITRE techniques, recommended actions or tags,
/// and it is enabled. Its severity is the last one given on its rows; rows leaving <c>severity</c> empty do not
/// change it, and it is <c>Medium</c> when no row gives one. Every IOC is enabled.</item>
/// <item>A row with several problems is reported once per problem, each naming the offending value.</item>
/// </list>
/// </summary>
public sealed partial class CsvFeedParser : IFeedParser
{
    /// <summary>The spec's columns, in the order <see cref="CsvFeedExporter"/> writes them.</summary>
    public static readonly IReadOnlyList<string> Columns =
        ["definition", "type", "value", "action", "severity", "description", "expiresAt"];

    private const int Definition = 0;
    private const int Type = 1;
    private const int Value = 2;
    private const int Action = 3;
    private const int SeverityColumn = 4;
    private const int Description = 5;
    private const int ExpiresAt = 6;
    private const int RequiredColumns = 3;

    /// <summary>Far more than a valid record needs; guards against an unclosed quote swallowing a huge body.</summary>
    private const int MaxRecordBytes = 1 << 20;

    private static readonly Dictionary<string, IocType> TypesByName = NamesOf<IocType>();
    private static readonly Dictionary<string, IocAction> ActionsByName = NamesOf<IocAction>();
    private static readonly Dictionary<string, Severity> SeveritiesByName = NamesOf<Severity>();

    private static readonly CsvReaderOptions ReaderOptions = CsvReaderOptions.Default with
    {
        Separator = ',',
        Mode = CsvMode.Rfc4180,
        HasHeader = true,
        AllowLineBreaksInQuotes = true,
        SkipEmptyLines = true,
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Recover,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        MissingField = CsvMissingFieldHandling.ReturnEmpty,
        MaxRecordSize = MaxRecordBytes,
        DetectSeparatorHint = false,
    };

    public FeedFormat Format => FeedFormat.Csv;

    public async Task<ParsedFeed> ParseAsync(Stream body, FeedParseOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(options);

        var builder = new FeedBuilder(options);
        var malformed = new Queue<CsvMalformedRecord>();
        var reader = CsvReader.Create(body, ReaderOptions with { OnMalformedRecord = malformed.Enqueue }, leaveOpen: true);
        await using (reader)
        {
            try
            {
                await reader.ReadHeaderAsync(cancellationToken);
                var headerLine = Math.Max(reader.LineNumber, 1);
                if (TakeMalformed(malformed, headerLine, builder) is { } badHeader)
                {
                    builder.Reject($"line {headerLine}", null, $"The header has broken quoting: {Describe(badHeader.Reason)}.");
                    builder.Feed.MarkUnreadable();
                    return builder.Feed;
                }

                var columns = MapHeader(reader.Headers, builder, $"line {headerLine}");
                var previous = new PreviousRow();
                if (columns is null)
                {
                    builder.Feed.MarkUnreadable();
                    return builder.Feed;
                }

                while (await reader.ReadAsync(cancellationToken))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var line = reader.LineNumber;
                    if (TakeMalformed(malformed, line, builder) is { } bad)
                    {
                        if (bad.Reason == CsvMalformedReason.UnterminatedQuote)
                        {
                            throw new FeedFormatException(
                                $"The CSV is malformed at line {line}: a quoted field opened there is never closed, so the rest of the body cannot be read.");
                        }

                        builder.Feed.RowsRead++;
                        builder.Reject($"line {line}", Excerpt(bad.RawRecord), $"The record has broken quoting: {Describe(bad.Reason)}.");
                        continue;
                    }

                    ReadRow(reader, columns, builder, $"line {line}", previous);
                }

                TakeMalformed(malformed, long.MaxValue, builder);
            }
            catch (CsvFormatException e)
            {
                // Only a record longer than MaxRecordBytes gets here (malformed quoting is recovered above); the reader
                // cannot go on after it.
                throw new FeedFormatException(
                    $"The CSV is malformed at line {Math.Max(e.LineNumber, 1)}: a record there is longer than {MaxRecordBytes / 1024} KiB, probably because a quoted field is never closed.",
                    e);
            }
        }

        return builder.Feed;
    }

    /// <summary>
    /// The index of each of <see cref="Columns"/> in the header (-1 when absent), or null, with the errors recorded,
    /// when a required column is missing or a column is named twice.
    /// </summary>
    private static int[]? MapHeader(IReadOnlyList<string> headers, FeedBuilder builder, string location)
    {
        if (headers.Count == 0 || headers.All(string.IsNullOrWhiteSpace))
        {
            builder.Reject(location, null, $"The body is empty; a CSV feed starts with the header {string.Join(',', Columns)}.");
            return null;
        }

        var indexes = Enumerable.Repeat(-1, Columns.Count).ToArray();
        var valid = true;
        for (var i = 0; i < headers.Count; i++)
        {
            var name = headers[i].Trim();
            var column = IndexOfColumn(name);
            if (column < 0)
            {
                continue;
            }

            if (indexes[column] >= 0)
            {
                builder.Reject(location, headers[i], $"The column '{Columns[column]}' appears twice in the header.");
                valid = false;
                continue;
            }

            indexes[column] = i;
        }

        var missing = Enumerable.Range(0, RequiredColumns).Where(column => indexes[column] < 0).Select(column => Columns[column]).ToList();
        if (missing.Count > 0)
        {
            builder.Reject(
                location,
                string.Join(',', headers),
                $"The header lacks the required column{(missing.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missing)}; a CSV feed starts with {string.Join(',', Columns)} (definition, type and value required).");
            valid = false;
        }

        return valid ? indexes : null;
    }

    private static int IndexOfColumn(string name)
    {
        for (var column = 0; column < Columns.Count; column++)
        {
            if (string.Equals(Columns[column], name, StringComparison.OrdinalIgnoreCase))
            {
                return column;
            }
        }

        return -1;
    }

    /// <summary>
    /// The malformed-record report of the record starting at <paramref name="line"/>, if any. Reports of earlier lines
    /// (records the reader skipped rather than returned) are recorded as rejected rows on the way.
    /// </summary>
    private static CsvMalformedRecord? TakeMalformed(Queue<CsvMalformedRecord> malformed, long line, FeedBuilder builder)
    {
        while (malformed.TryPeek(out var next) && next.LineNumber <= line)
        {
            malformed.Dequeue();
            if (next.LineNumber == line && !next.Skipped)
            {
                return next;
            }

            builder.Feed.RowsRead++;
            builder.Reject($"line {next.LineNumber}", Excerpt(next.RawRecord), $"The record has broken quoting: {Describe(next.Reason)}.");
        }

        return null;
    }

    /// <summary>The raw record as the error's value, cut to a length a pipeline log can show.</summary>
    private static string? Excerpt(string? rawRecord) =>
        string.IsNullOrEmpty(rawRecord) ? null : rawRecord.Length <= 200 ? rawRecord : rawRecord[..200] + "…";

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "a quote inside an unquoted field (quote the field and double the quote: \"a\"\"b\")",
        CsvMalformedReason.TextAfterClosingQuote => "text after the closing quote of a field",
        CsvMalformedReason.UnterminatedQuote => "a quoted field is never closed, so it ran to the end of the body",
        CsvMalformedReason.LineBreakInQuotes => "a line break inside quotes",
        _ => reason.ToString(),
    };

    private static void ReadRow(CsvReader reader, int[] columns, FeedBuilder builder, string location, PreviousRow previous)
    {
        string Field(int column) => columns[column] is var index and >= 0 && index < reader.FieldCount
            ? reader.GetString(index).Trim()
            : string.Empty;

        var name = Field(Definition);
        var typeText = Field(Type);
        var value = Field(Value);
        var actionText = Field(Action);
        var severityText = Field(SeverityColumn);
        var description = Field(Description);
        var expiresText = Field(ExpiresAt);

        if (name.Length == 0 && typeText.Length == 0 && value.Length == 0 && actionText.Length == 0
            && severityText.Length == 0 && description.Length == 0 && expiresText.Length == 0)
        {
            return;
        }

        var valid = true;
        IocType type = default;
        if (typeText.Length == 0)
        {
            valid = builder.Reject(location, value, "type: A type is required.");
        }
        else if (!TypesByName.TryGetValue(typeText, out type))
        {
            valid = builder.Reject(location, typeText, $"type: '{typeText}' is not an IOC type; use one of {string.Join(", ", Enum.GetNames<IocType>())}.");
        }

        IocAction? action = null;
        if (actionText.Length > 0)
        {
            if (ActionsByName.TryGetValue(actionText, out var parsedAction))
            {
                action = parsedAction;
            }
            else
            {
                valid = builder.Reject(location, actionText, $"action: '{actionText}' is not an action; use one of {string.Join(", ", Enum.GetNames<IocAction>())}, or leave it empty for the type's default.");
            }
        }

        var severity = Severity.Medium;
        if (severityText.Length > 0 && !SeveritiesByName.TryGetValue(severityText, out severity))
        {
            valid = builder.Reject(location, severityText, $"severity: '{severityText}' is not a severity; use one of {string.Join(", ", Enum.GetNames<Severity>())}, or leave it empty for Medium.");
        }

        DateTime? expiresAt = null;
        if (expiresText.Length > 0)
        {
            if (TryParseExpiry(expiresText, out var parsed, out var expiryError))
            {
                expiresAt = parsed;
            }
            else
            {
                valid = builder.Reject(location, expiresText, expiryError);
            }
        }

        FeedDefinition? definition = null;
        if (valid && previous.Definition is { } last && name == last.Metadata.Name
            && (severityText.Length == 0 || severity == last.Metadata.Severity))
        {
            // Rows of one definition usually follow each other; the same name and severity as the definition already
            // has would change nothing, so a million-row feed is not re-validated row by row.
            definition = last;
        }
        else if (valid)
        {
            var metadata = new AlertDefinitionMetadata(
                name,
                Description: null,
                severity,
                Category: null,
                MitreTechniques: [],
                RecommendedActions: null,
                Tags: [],
                Enabled: true);

            // A row that leaves severity empty joins its definition without resetting a severity an earlier row gave.
            definition = builder.Definition(metadata, location, replaceMetadata: severityText.Length > 0);
            previous.Definition = definition;
        }

        if (definition is null)
        {
            builder.Feed.RowsRead++;
            return;
        }

        builder.Ioc(
            definition,
            type,
            action,
            value,
            description.Length == 0 ? null : description,
            enabled: true,
            expiresAt,
            location);
    }

    /// <summary>
    /// An ISO-8601 date and time with its offset (<c>Z</c> or <c>±hh:mm</c>), as a UTC <see cref="DateTime"/>.
    /// </summary>
    internal static bool TryParseExpiry(string text, out DateTime expiresAt, out string error)
    {
        expiresAt = default;
        error = string.Empty;
        var match = IsoTimePattern().Match(text);
        if (!match.Success)
        {
            error = $"expiresAt: '{text}' is not an ISO-8601 time such as 2026-12-31T23:59:59Z.";
            return false;
        }

        if (!match.Groups["offset"].Success)
        {
            error = $"expiresAt: '{text}' has no time zone; give it in UTC, ending in Z or +00:00 (such as {text}Z).";
            return false;
        }

        if (!DateTimeOffset.TryParse(
                text,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal,
                out var parsed))
        {
            error = $"expiresAt: '{text}' is not a valid date and time.";
            return false;
        }

        expiresAt = DateTime.SpecifyKind(parsed.UtcDateTime, DateTimeKind.Utc);
        return true;
    }

    private static Dictionary<string, T> NamesOf<T>()
        where T : struct, Enum =>
        Enum.GetValues<T>().ToDictionary(value => value.ToString(), StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex(
        @"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]{1,7})?)?(?<offset>[Zz]|[+-][0-9]{2}:[0-9]{2})?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex IsoTimePattern();

    /// <summary>The definition the previous row went to.</summary>
    private sealed class PreviousRow
    {
        public FeedDefinition? Definition { get; set; }
    }
}
