using System.Text;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Feeds.Formats;

/// <summary>
/// Reads a plain list (<c>text/plain</c>): one value per line, every value an IOC of the one definition named by
/// <c>?definition=</c> (<see cref="FeedParseOptions.DefinitionName"/>, required) with <c>?severity=</c>
/// (<see cref="FeedParseOptions.Severity"/>, <c>Medium</c> when not given). Lines are read one at a time, never the
/// whole body. The rules:
/// <list type="bullet">
/// <item>Lines end with LF, CRLF or CR; a UTF-8 (or UTF-16) byte order mark is honoured, UTF-8 is assumed otherwise.
/// Errors name the physical line, <c>line N</c>, counted from 1.</item>
/// <item>Blank lines and lines whose first non-blank character is <c>#</c> hold no indicator and are skipped (not
/// counted as rows). A <c>#</c> after whitespace starts a trailing comment (<c>evil.com # botnet</c> is
/// <c>evil.com</c>); a <c>#</c> right after other text stays part of the value, so URL fragments
/// (<c>http://evil.com/#x</c>) survive. Comment text is dropped.</item>
/// <item><c>value;description</c>, as signature-base's hash list writes it: the text after the first <c>;</c> is the
/// IOC's description (trimmed, cut to <see cref="FieldLimits.IocDescriptionMaxLength"/> characters). When the text
/// before the <c>;</c> is a URL the whole line is the URL instead, because URLs may contain <c>;</c>
/// (<c>/a;jsessionid=1</c>).</item>
/// <item>The type and action come from the value's shape, by the rules of <see cref="IocValueDetector"/>; a value
/// whose type cannot be told is a rejected row.</item>
/// <item>Every IOC is enabled and never expires. A repeated value is kept once.</item>
/// </list>
/// The definition is created even when the list holds no value, so pushing an empty list empties it.
/// </summary>
public sealed class PlainListFeedParser : IFeedParser
{
    /// <summary>The location of errors that concern the query rather than a line of the body.</summary>
    public const string QueryLocation = "query definition";

    public FeedFormat Format => FeedFormat.PlainList;

    public async Task<ParsedFeed> ParseAsync(Stream body, FeedParseOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(options);

        var builder = new FeedBuilder(options);
        if (string.IsNullOrWhiteSpace(options.DefinitionName))
        {
            builder.Reject(QueryLocation, options.DefinitionName, "A plain list needs ?definition= naming its alert definition.");
            builder.Feed.MarkUnreadable();
            return builder.Feed;
        }

        var metadata = new AlertDefinitionMetadata(
            options.DefinitionName.Trim(),
            Description: null,
            options.Severity ?? Severity.Medium,
            Category: null,
            MitreTechniques: [],
            RecommendedActions: null,
            Tags: [],
            Enabled: true);
        var definition = builder.Definition(metadata, QueryLocation);
        if (definition is null)
        {
            builder.Feed.MarkUnreadable();
            return builder.Feed;
        }

        using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lineNumber++;
            ReadLine(builder, definition, line, lineNumber);
        }

        return builder.Feed;
    }

    private static void ReadLine(FeedBuilder builder, FeedDefinition definition, string line, int lineNumber)
    {
        if (!TrySplit(line, out var text))
        {
            return;
        }

        string? description = null;
        var semicolon = text.IndexOf(';', StringComparison.Ordinal);
        if (semicolon >= 0)
        {
            var head = text[..semicolon];
            var isUrl = IocValueDetector.TryDetect(head, out var headType, out _, out _, out _) && headType == IocType.Url;
            if (!isUrl)
            {
                description = Shorten(text[(semicolon + 1)..].Trim());
                text = head.Trim();
            }
        }

        var location = $"line {lineNumber}";
        if (text.Length == 0)
        {
            builder.Feed.RowsRead++;
            builder.Reject(location, null, "The line has a description after ';' but no value before it.");
            return;
        }

        if (!IocValueDetector.TryDetect(text, out var type, out var action, out var value, out var error))
        {
            builder.Feed.RowsRead++;
            builder.Reject(location, text, error);
            return;
        }

        builder.Ioc(definition, type, action, value, description, enabled: true, expiresAt: null, location);
    }

    /// <summary>The line without its comment, trimmed; false when nothing but a comment or blanks is left.</summary>
    private static bool TrySplit(string line, out string text)
    {
        text = line.Trim();
        if (text.Length == 0 || text[0] == '#')
        {
            return false;
        }

        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] == '#' && char.IsWhiteSpace(text[i - 1]))
            {
                text = text[..i].TrimEnd();
                break;
            }
        }

        return text.Length > 0;
    }

    private static string? Shorten(string description)
    {
        if (description.Length == 0)
        {
            return null;
        }

        if (description.Length <= FieldLimits.IocDescriptionMaxLength)
        {
            return description;
        }

        var length = FieldLimits.IocDescriptionMaxLength;
        if (char.IsHighSurrogate(description[length - 1]))
        {
            length--;
        }

        return description[..length];
    }
}
