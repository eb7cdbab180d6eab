using System.Globalization;
using System.Text.Json;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Feeds.Formats;

/// <summary>A field of a pushed object that cannot be read: which field, its value as pushed, and why.</summary>
internal sealed record JsonFieldProblem(string? Field, string? Value, string Message)
{
    public string Reason => Field is null ? Message : $"{Field}: {Message}";
}

/// <summary>
/// One IOC object as read from JSON (<c>iocs[j]</c> of the native format, <c>x_threatintel_iocs[j]</c> of STIX),
/// before the <see cref="FeedBuilder"/> validates and normalises its value.
/// </summary>
internal sealed record JsonIocDraft(
    IocType? Type,
    IocAction? Action,
    string? Value,
    string? Description,
    bool Enabled,
    DateTime? ExpiresAt,
    IReadOnlyList<JsonFieldProblem> Problems);

/// <summary>
/// Reads typed fields out of JSON values the way feed bodies are read: a field of the wrong JSON kind, an unknown enum
/// name or an unreadable time becomes a <see cref="JsonFieldProblem"/> (a row error) rather than a failure of the
/// whole push.
/// </summary>
internal static class JsonFields
{
    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
    ];

    public static string? String(JsonElement value, string field, List<JsonFieldProblem> problems)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return value.GetString();
            default:
                problems.Add(WrongKind(value, field, "a string"));
                return null;
        }
    }

    public static bool? Boolean(JsonElement value, string field, List<JsonFieldProblem> problems)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                problems.Add(WrongKind(value, field, "true or false"));
                return null;
        }
    }

    /// <summary>An array of strings; null when the value is null.</summary>
    public static List<string>? Strings(JsonElement value, string field, List<JsonFieldProblem> problems)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            problems.Add(WrongKind(value, field, "an array of strings"));
            return null;
        }

        var strings = new List<string>(value.GetArrayLength());
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                strings.Add(item.GetString()!);
            }
            else
            {
                problems.Add(WrongKind(item, $"{field}[{index}]", "a string"));
            }

            index++;
        }

        return strings;
    }

    /// <summary>An enum given by name (case-insensitive, names only: no numbers, no combinations).</summary>
    /// <param name="what">How the enum is named in messages: "severity", "IOC type".</param>
    public static TEnum? Enum<TEnum>(JsonElement value, string field, string what, List<JsonFieldProblem> problems)
        where TEnum : struct, Enum
    {
        var text = String(value, field, problems);
        if (text is null)
        {
            return null;
        }

        if (TryParseEnum<TEnum>(text, out var result))
        {
            return result;
        }

        problems.Add(new JsonFieldProblem(field, text, UnknownEnumMessage<TEnum>(text, what)));
        return null;
    }

    public static string UnknownEnumMessage<TEnum>(string text, string what)
        where TEnum : struct, Enum =>
        $"'{text}' is not {Article(what)} {what}; expected one of {string.Join(", ", System.Enum.GetNames<TEnum>())}.";

    /// <summary>
    /// Strict enum parsing: only a defined name, in any case. <see cref="System.Enum.TryParse{TEnum}(string?, bool, out TEnum)"/>
    /// alone would also take "3", " High" and "High, Low".
    /// </summary>
    public static bool TryParseEnum<TEnum>(string text, out TEnum result)
        where TEnum : struct, Enum
    {
        foreach (var name in System.Enum.GetNames<TEnum>())
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                result = System.Enum.Parse<TEnum>(name);
                return true;
            }
        }

        result = default;
        return false;
    }

    /// <summary>
    /// An ISO-8601 time. It comes back as UTC only when it says so (<c>Z</c> or <c>+00:00</c>); a time without an
    /// offset, or with another offset, comes back with another <see cref="DateTime.Kind"/> so that the
    /// <see cref="FeedBuilder"/> rejects it with its own message, as every feed format does.
    /// </summary>
    public static DateTime? Time(JsonElement value, string field, List<JsonFieldProblem> problems)
    {
        var text = String(value, field, problems);
        if (text is null)
        {
            return null;
        }

        if (TryParseTime(text, out var time))
        {
            return time;
        }

        problems.Add(new JsonFieldProblem(field, text, $"'{text}' is not an ISO-8601 time such as 2030-01-31T00:00:00Z."));
        return null;
    }

    public static bool TryParseTime(string text, out DateTime time)
    {
        if (!DateTimeOffset.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            time = default;
            return false;
        }

        var saysUtc = text.EndsWith('Z') || text.EndsWith('z') || text.EndsWith("+00:00", StringComparison.Ordinal)
            || text.EndsWith("-00:00", StringComparison.Ordinal);
        time = saysUtc ? parsed.UtcDateTime : DateTime.SpecifyKind(parsed.DateTime, DateTimeKind.Unspecified);
        return true;
    }

    /// <summary>Writes a stored time as ISO-8601 UTC ending in Z (a time of unspecified kind is taken as UTC).</summary>
    public static string FormatTime(DateTime time)
    {
        var utc = time.Kind switch
        {
            DateTimeKind.Local => time.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(time, DateTimeKind.Utc),
            _ => time,
        };
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Reads one IOC object: <c>type</c> (required), <c>value</c>, <c>action</c> (the type's default when absent),
    /// <c>description</c>, <c>enabled</c> (true when absent) and <c>expiresAt</c>; other properties (server-owned
    /// ones such as <c>id</c>) are ignored. Property names are matched ignoring case, as the API's JSON is.
    /// </summary>
    public static JsonIocDraft ReadIoc(JsonElement element)
    {
        var problems = new List<JsonFieldProblem>();
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new JsonFieldProblem(null, JsonStreamReader.Describe(element), $"An IOC must be a JSON object, not {JsonStreamReader.KindName(element.ValueKind)}."));
            return new JsonIocDraft(null, null, null, null, true, null, problems);
        }

        IocType? type = null;
        IocAction? action = null;
        string? value = null;
        string? description = null;
        bool? enabled = null;
        DateTime? expiresAt = null;
        var sawType = false;
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name.ToUpperInvariant())
            {
                case "TYPE":
                    sawType = property.Value.ValueKind != JsonValueKind.Null;
                    type = Enum<IocType>(property.Value, "type", "IOC type", problems);
                    break;
                case "ACTION":
                    action = Enum<IocAction>(property.Value, "action", "IOC action", problems);
                    break;
                case "VALUE":
                    value = String(property.Value, "value", problems);
                    break;
                case "DESCRIPTION":
                    description = String(property.Value, "description", problems);
                    break;
                case "ENABLED":
                    enabled = Boolean(property.Value, "enabled", problems);
                    break;
                case "EXPIRESAT":
                    expiresAt = Time(property.Value, "expiresAt", problems);
                    break;
                default:
                    break;
            }
        }

        if (!sawType)
        {
            problems.Add(new JsonFieldProblem("type", null, "A type is required."));
        }

        return new JsonIocDraft(type, action, value, description, enabled ?? true, expiresAt, problems);
    }

    /// <summary>Hands a read IOC to the builder, or records why it cannot be read; either way one row is read.</summary>
    public static void AddIoc(FeedBuilder builder, FeedDefinition definition, JsonIocDraft draft, string location)
    {
        if (draft.Problems.Count > 0 || draft.Type is not { } type)
        {
            builder.Feed.RowsRead++;
            foreach (var problem in draft.Problems)
            {
                builder.Reject(location, draft.Value ?? problem.Value, problem.Reason);
            }

            return;
        }

        builder.Ioc(definition, type, draft.Action, draft.Value, draft.Description, draft.Enabled, draft.ExpiresAt, location);
    }

    /// <summary>Records each problem as a row error at <paramref name="location"/>.</summary>
    public static void Reject(FeedBuilder builder, string location, IEnumerable<JsonFieldProblem> problems)
    {
        foreach (var problem in problems)
        {
            builder.Reject(location, problem.Value, problem.Reason);
        }
    }

    private static JsonFieldProblem WrongKind(JsonElement value, string field, string expected) =>
        new(field, JsonStreamReader.Describe(value), $"expected {expected}, not {JsonStreamReader.KindName(value.ValueKind)}.");

    private static string Article(string word) => "aeiouAEIOU".Contains(word[0], StringComparison.Ordinal) ? "an" : "a";
}
