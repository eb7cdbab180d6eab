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
        private static readonly string AllowedNames = string.Join(", ", Enum.GetNames<TEnum>());

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            // Enum.TryParse also takes numbers and comma-separated lists; only a single defined name is accepted.
            var name = text?.Trim();
            if (name is { Length: > 0 } && char.IsAsciiLetter(name[0]) && !name.Contains(',')
                && Enum.TryParse<TEnum>(name, ignoreCase: true, out var value) && Enum.IsDefined(value))
            {
                return value;
            }

            var given = text is null ? $"a JSON {reader.TokenType.ToString().ToLowerInvariant()}" : $"'{text}'";
            throw new JsonException($"{given} is not a valid {typeof(TEnum).Name}; expected one of: {AllowedNames}.");
        }

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString());
    }
}
