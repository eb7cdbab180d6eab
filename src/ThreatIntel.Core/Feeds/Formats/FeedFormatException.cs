using System.Text.Json;

namespace ThreatIntel.Core.Feeds.Formats;

/// <summary>
/// The body cannot be read as the format it claims to be (malformed JSON, a JSON body of the wrong shape, a document
/// that is not a STIX bundle). Unlike a row error this rejects the whole push; the API answers 400 with
/// <see cref="Exception.Message"/>, which says where the body went wrong.
/// </summary>
public sealed class FeedFormatException : Exception
{
    public FeedFormatException()
    {
    }

    public FeedFormatException(string message)
        : base(message)
    {
    }

    public FeedFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// Malformed JSON, located by the reader's 1-based line and byte in that line, e.g.
    /// <c>The body is not valid JSON (line 3, byte 17): '}' is invalid after a property name ...</c>.
    /// </summary>
    public static FeedFormatException MalformedJson(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);

        // The reader's own message ends with its 0-based position ("LineNumber: 2 | BytePositionInLine: 16."); the
        // 1-based position is given up front instead, as editors count.
        var reason = exception.Message;
        var positionText = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (positionText >= 0)
        {
            reason = reason[..positionText];
        }

        var where = exception.LineNumber is { } line
            ? $" (line {line + 1}, byte {(exception.BytePositionInLine ?? 0) + 1})"
            : string.Empty;
        return new FeedFormatException($"The body is not valid JSON{where}: {reason.Trim()}", exception);
    }
}
