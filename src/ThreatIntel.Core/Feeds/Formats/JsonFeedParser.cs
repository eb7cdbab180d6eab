using System.Text.Json;
using ThreatIntel.Core.AlertDefinitions;

namespace ThreatIntel.Core.Feeds.Formats;

/// <summary>
/// Reads the native JSON feed, <c>{ "definitions": [ { name, description, severity, category, mitreTechniques,
/// recommendedActions, tags, enabled, iocs: [ { type, value, action, description, enabled, expiresAt } ] } ] }</c>,
/// from a stream token by token: the body is never held whole, and each definition is validated as soon as its
/// object closes.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Property names are matched ignoring case; server-owned and unknown properties (<c>id</c>, <c>createdAt</c>,
/// <c>source</c>, <c>iocCount</c>, ...) are ignored.</item>
/// <item>Enums are strings parsed strictly (names only, any case): an unknown type, action or severity, a field of the
/// wrong JSON kind or an unreadable time is a row error at <c>definitions[i]</c> or <c>definitions[i].iocs[j]</c>,
/// not a failure of the push. Malformed JSON, a root that is not an object, or a missing <c>definitions</c> array
/// throws <see cref="FeedFormatException"/> (400).</item>
/// <item>Missing <c>severity</c> is Medium; missing <c>enabled</c> (of a definition or an IOC) is true; a missing IOC
/// <c>action</c> takes the type's default.</item>
/// <item>A definition named twice (names compare ignoring case) is a push error: the second is rejected whole.</item>
/// <item>The IOCs of a rejected definition are not checked, but are counted as rows read.</item>
/// </list>
/// </remarks>
public sealed class JsonFeedParser : IFeedParser
{
    public FeedFormat Format => FeedFormat.Json;

    public async Task<ParsedFeed> ParseAsync(Stream body, FeedParseOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(options);

        var builder = new FeedBuilder(options);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var reader = new JsonStreamReader(body);

        if (!await reader.ReadAsync(cancellationToken) || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FeedFormatException("The body must be a JSON object: { \"definitions\": [ ... ] }.");
        }

        var sawDefinitions = false;
        var index = 0;
        while (await reader.ReadPropertyNameAsync(cancellationToken) is { } property)
        {
            await reader.ReadAsync(cancellationToken);
            if (!string.Equals(property, "definitions", StringComparison.OrdinalIgnoreCase))
            {
                await reader.SkipAsync(cancellationToken);
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new FeedFormatException($"'definitions' must be an array (byte {reader.TokenOffset}).");
            }

            sawDefinitions = true;
            while (await reader.ReadAsync(cancellationToken) && reader.TokenType != JsonTokenType.EndArray)
            {
                await ReadDefinitionAsync(reader, builder, names, index++, cancellationToken);
            }
        }

        await reader.ReadEndAsync(cancellationToken);
        if (!sawDefinitions)
        {
            throw new FeedFormatException("The body has no 'definitions' array: { \"definitions\": [ ... ] }.");
        }

        return builder.Feed;
    }

    /// <summary>Reads the definition whose first token is current, and hands it and its IOCs to the builder.</summary>
    private static async Task ReadDefinitionAsync(
        JsonStreamReader reader, FeedBuilder builder, HashSet<string> names, int index, CancellationToken cancellationToken)
    {
        var location = $"definitions[{index}]";
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            var kind = reader.TokenType switch
            {
                JsonTokenType.StartArray => "an array",
                JsonTokenType.String => "a string",
                JsonTokenType.Number => "a number",
                JsonTokenType.True or JsonTokenType.False => "a boolean",
                _ => "null",
            };
            builder.Reject(location, reader.StringValue, $"A definition must be a JSON object, not {kind}.");
            await reader.SkipAsync(cancellationToken);
            return;
        }

        var problems = new List<JsonFieldProblem>();
        var iocs = new List<JsonIocDraft>();
        string? name = null;
        string? description = null;
        Severity? severity = null;
        string? category = null;
        List<string>? mitreTechniques = null;
        string? recommendedActions = null;
        List<string>? tags = null;
        bool? enabled = null;

        while (await reader.ReadPropertyNameAsync(cancellationToken) is { } property)
        {
            if (string.Equals(property, "iocs", StringComparison.OrdinalIgnoreCase))
            {
                await ReadIocsAsync(reader, iocs, problems, cancellationToken);
                continue;
            }

            var value = await reader.ReadValueOrEndAsync(cancellationToken)
                ?? throw new FeedFormatException($"A property has no value (byte {reader.TokenOffset}).");
            switch (property.ToUpperInvariant())
            {
                case "NAME":
                    name = JsonFields.String(value, "name", problems);
                    break;
                case "DESCRIPTION":
                    description = JsonFields.String(value, "description", problems);
                    break;
                case "SEVERITY":
                    severity = JsonFields.Enum<Severity>(value, "severity", "severity", problems);
                    break;
                case "CATEGORY":
                    category = JsonFields.String(value, "category", problems);
                    break;
                case "MITRETECHNIQUES":
                    mitreTechniques = JsonFields.Strings(value, "mitreTechniques", problems);
                    break;
                case "RECOMMENDEDACTIONS":
                    recommendedActions = JsonFields.String(value, "recommendedActions", problems);
                    break;
                case "TAGS":
                    tags = JsonFields.Strings(value, "tags", problems);
                    break;
                case "ENABLED":
                    enabled = JsonFields.Boolean(value, "enabled", problems);
                    break;
                default:
                    break;
            }
        }

        if (problems.Count > 0)
        {
            JsonFields.Reject(builder, location, problems);
            builder.Feed.RowsRead += iocs.Count;
            return;
        }

        if (!string.IsNullOrWhiteSpace(name) && !names.Add(AlertDefinition.NormalizeName(name)))
        {
            builder.Reject(location, name, $"definition '{name.Trim()}' appears twice in the push");
            builder.Feed.RowsRead += iocs.Count;
            return;
        }

        var metadata = new AlertDefinitionMetadata(
            name ?? string.Empty,
            description,
            severity ?? Severity.Medium,
            category,
            mitreTechniques ?? [],
            recommendedActions,
            tags ?? [],
            enabled ?? true);
        var definition = builder.Definition(metadata, location);
        if (definition is null)
        {
            builder.Feed.RowsRead += iocs.Count;
            return;
        }

        for (var j = 0; j < iocs.Count; j++)
        {
            JsonFields.AddIoc(builder, definition, iocs[j], $"{location}.iocs[{j}]");
        }
    }

    /// <summary>
    /// Reads the value of <c>iocs</c>, one IOC object at a time. The IOCs are kept (already reduced to strings) until
    /// the definition's object closes, because its name may come after them.
    /// </summary>
    private static async Task ReadIocsAsync(
        JsonStreamReader reader, List<JsonIocDraft> iocs, List<JsonFieldProblem> problems, CancellationToken cancellationToken)
    {
        await reader.ReadAsync(cancellationToken);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            problems.Add(new JsonFieldProblem("iocs", reader.StringValue, "expected an array of IOC objects."));
            await reader.SkipAsync(cancellationToken);
            return;
        }

        while (await reader.ReadValueOrEndAsync(cancellationToken) is { } element)
        {
            iocs.Add(JsonFields.ReadIoc(element));
        }
    }
}
