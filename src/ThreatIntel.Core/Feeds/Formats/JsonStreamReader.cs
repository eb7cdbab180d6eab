using System.Text.Json;

namespace ThreatIntel.Core.Feeds.Formats;

/// <summary>
/// Reads a JSON body from a stream token by token, or one whole value at a time, holding only a window of the body
/// (a token, or the one value being read) rather than all of it. Malformed JSON surfaces as
/// <see cref="FeedFormatException"/> with the line and byte where the reader stopped (the reader's state carries the
/// position across buffer refills).
/// </summary>
internal sealed class JsonStreamReader(Stream stream)
{
    private const int InitialBufferSize = 16 * 1024;

    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow };

    private byte[] buffer = new byte[InitialBufferSize];
    private int start;
    private int end;
    private bool finalBlock;
    private bool preambleChecked;
    private long consumedBefore;
    private JsonReaderState state = new(ReaderOptions);

    private enum Outcome
    {
        Read,
        EndOfData,
        NeedMoreData,
    }

    /// <summary>The token last read (for a whole value, its last token).</summary>
    public JsonTokenType TokenType { get; private set; } = JsonTokenType.None;

    /// <summary>The text of the last token when it is a property name or a string.</summary>
    public string? StringValue { get; private set; }

    /// <summary>The 0-based byte offset in the body where the last token starts, for messages.</summary>
    public long TokenOffset { get; private set; }

    /// <summary>Moves to the next token; false at the end of the body.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var outcome = TryReadToken();
            if (outcome != Outcome.NeedMoreData)
            {
                return outcome == Outcome.Read;
            }

            await FillAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Reads the next value whole (an object or array with everything inside it), or returns null when the next token
    /// closes the enclosing array or object (which is consumed). Only this value is held in memory.
    /// </summary>
    public async ValueTask<JsonElement?> ReadValueOrEndAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var outcome = TryReadValue(out var element);
            if (outcome == Outcome.Read)
            {
                return element;
            }

            if (outcome == Outcome.EndOfData)
            {
                throw new FeedFormatException($"The body ended in the middle of the JSON (byte {consumedBefore}).");
            }

            await FillAsync(cancellationToken);
        }
    }

    /// <summary>When the current token opens an object or array, reads on to the token that closes it.</summary>
    public async ValueTask SkipAsync(CancellationToken cancellationToken)
    {
        if (TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return;
        }

        var depth = 1;
        while (depth > 0)
        {
            if (!await ReadAsync(cancellationToken))
            {
                throw new FeedFormatException($"The body ended in the middle of the JSON (byte {consumedBefore}).");
            }

            if (TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                depth++;
            }
            else if (TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                depth--;
            }
        }
    }

    /// <summary>Reads the next property name of the object being read; null when the object closes instead.</summary>
    public async ValueTask<string?> ReadPropertyNameAsync(CancellationToken cancellationToken)
    {
        if (!await ReadAsync(cancellationToken))
        {
            throw new FeedFormatException($"The body ended in the middle of the JSON (byte {consumedBefore}).");
        }

        return TokenType == JsonTokenType.PropertyName ? StringValue : null;
    }

    /// <summary>After the root value: throws unless only white space follows.</summary>
    public async ValueTask ReadEndAsync(CancellationToken cancellationToken)
    {
        if (await ReadAsync(cancellationToken))
        {
            throw new FeedFormatException($"Unexpected content after the JSON body (byte {TokenOffset}).");
        }
    }

    private Outcome TryReadToken()
    {
        if (!preambleChecked)
        {
            return Outcome.NeedMoreData;
        }

        if (finalBlock && consumedBefore == 0 && buffer.AsSpan(start, end - start).Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new FeedFormatException("The body is empty.");
        }

        var reader = new Utf8JsonReader(buffer.AsSpan(start, end - start), finalBlock, state);
        try
        {
            if (!reader.Read())
            {
                return finalBlock ? Outcome.EndOfData : Outcome.NeedMoreData;
            }

            TokenType = reader.TokenType;
            TokenOffset = consumedBefore + reader.TokenStartIndex;
            StringValue = reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String ? reader.GetString() : null;
        }
        catch (JsonException exception)
        {
            throw FeedFormatException.MalformedJson(exception);
        }

        Commit(ref reader);
        return Outcome.Read;
    }

    private Outcome TryReadValue(out JsonElement? element)
    {
        element = null;
        if (!preambleChecked)
        {
            return Outcome.NeedMoreData;
        }

        var reader = new Utf8JsonReader(buffer.AsSpan(start, end - start), finalBlock, state);
        try
        {
            if (!reader.Read())
            {
                return finalBlock ? Outcome.EndOfData : Outcome.NeedMoreData;
            }

            TokenOffset = consumedBefore + reader.TokenStartIndex;
            if (reader.TokenType is JsonTokenType.EndArray or JsonTokenType.EndObject)
            {
                TokenType = reader.TokenType;
                StringValue = null;
                Commit(ref reader);
                return Outcome.Read;
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                // Only parse once the whole value is in the window; otherwise read more of the body first.
                var probe = reader;
                if (!probe.TrySkip())
                {
                    return Outcome.NeedMoreData;
                }
            }

            element = JsonElement.ParseValue(ref reader);
            TokenType = reader.TokenType;
            StringValue = null;
        }
        catch (JsonException exception)
        {
            throw FeedFormatException.MalformedJson(exception);
        }

        Commit(ref reader);
        return Outcome.Read;
    }

    private void Commit(ref Utf8JsonReader reader)
    {
        var consumed = (int)reader.BytesConsumed;
        start += consumed;
        consumedBefore += consumed;
        state = reader.CurrentState;
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (finalBlock)
        {
            // Cannot happen: a final block always reads to a token or to the end.
            throw new FeedFormatException($"The body ended in the middle of the JSON (byte {consumedBefore}).");
        }

        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }

        if (end == buffer.Length)
        {
            // One token or value is larger than the window: widen it.
            Array.Resize(ref buffer, buffer.Length * 2);
        }

        var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken);
        if (read == 0)
        {
            finalBlock = true;
        }
        else
        {
            end += read;
        }

        if (!preambleChecked && (end >= Utf8Bom.Length || finalBlock))
        {
            // Utf8JsonReader does not skip a byte order mark; JsonSerializer and JsonDocument do.
            if (buffer.AsSpan(0, end).StartsWith(Utf8Bom))
            {
                start = Utf8Bom.Length;
            }

            preambleChecked = true;
        }
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>A short, printable form of a value for row errors.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? string.Empty,
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => Truncate(value.GetRawText()),
    };

    private static string Truncate(string text) => text.Length <= 100 ? text : text[..100] + "…";

    /// <summary>How a JSON value kind is named in messages ("a number").</summary>
    public static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
