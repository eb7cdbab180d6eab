using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ThreatIntel.Api.Http;

/// <summary>
/// Enums travel as their names (parsed case-insensitively). Numbers, and names the enum does not define, are
/// rejected with a message that lists the allowed names, which the 400 response passes on to the caller.
/// </summary>
internal sealed class StrictEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(StrictEnumConverter<>).MakeGenericType(typeToConvert))!;

    private sealed class StrictEnumConverter<TEnum> : JsonConverter<TEnum>
        where TEnum : struct, Enum
    {
        private const int MaxExactNameBytes = 64;

        // Every observable of a batch carries a type: its exact name is found without parsing.
        private static readonly FrozenDictionary<string, TEnum>.AlternateLookup<ReadOnlySpan<char>> ExactNames =
            Enum.GetValues<TEnum>().ToFrozenDictionary(value => value.ToString(), StringComparer.Ordinal)
                .GetAlternateLookup<ReadOnlySpan<char>>();

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence
                && reader.ValueSpan.Length <= MaxExactNameBytes)
            {
                Span<char> name = stackalloc char[MaxExactNameBytes];
                var length = System.Text.Encoding.UTF8.GetChars(reader.ValueSpan, name);
                if (ExactNames.TryGetValue(name[..length], out var exact))
                {
                    return exact;
                }
            }

            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            if (EnumNames.TryParse(typeof(TEnum), text, out var value))
            {
                return (TEnum)value;
            }

            var given = text is null ? $"a JSON {reader.TokenType.ToString().ToLowerInvariant()}" : $"'{text}'";
            throw new JsonException(EnumNames.InvalidMessage(typeof(TEnum), given));
        }

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString());

        // Enums are also dictionary keys in responses (IOC counts by type and action).
        public override void WriteAsPropertyName(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WritePropertyName(value.ToString());

        public override TEnum ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString();
            return EnumNames.TryParse(typeof(TEnum), text, out var value)
                ? (TEnum)value
                : throw new JsonException(EnumNames.InvalidMessage(typeof(TEnum), $"'{text}'"));
        }
    }
}

/// <summary>The one spelling of an enum the API accepts anywhere (body, query): a single defined name, in any case.</summary>
internal static class EnumNames
{
    public static bool TryParse(Type enumType, string? text, [NotNullWhen(true)] out object? value)
    {
        value = null;
        var name = text?.Trim();
        // Enum.TryParse also takes numbers and comma-separated lists; only a single defined name is accepted.
        return name is { Length: > 0 } && char.IsAsciiLetter(name[0]) && !name.Contains(',')
            && Enum.TryParse(enumType, name, ignoreCase: true, out value) && Enum.IsDefined(enumType, value);
    }

    public static string InvalidMessage(Type enumType, string given) =>
        $"{given} is not a valid {enumType.Name}; expected one of: {string.Join(", ", Enum.GetNames(enumType))}.";
}
