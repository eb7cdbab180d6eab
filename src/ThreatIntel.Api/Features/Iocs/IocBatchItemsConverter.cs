using System.Text.Json;
using System.Text.Json.Serialization;
using ThreatIntel.Api.Http;

namespace ThreatIntel.Api.Features.Iocs;

/// <summary>
/// Reads the items of a batch one at a time, so that an item whose JSON does not bind (a type name the service does
/// not know, a date that is not one) becomes that item's rejection, as an invalid value does, instead of refusing
/// the whole batch.
/// </summary>
internal sealed class IocBatchItemsConverter : JsonConverter<IReadOnlyList<IocRequest?>>
{
    public override IReadOnlyList<IocRequest?> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("iocs must be an array of IOCs.");
        }

        var items = new IocBatchItems();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            using var item = JsonDocument.ParseValue(ref reader);
            try
            {
                items.Add(item.RootElement.Deserialize<IocRequest>(options));
            }
            catch (JsonException exception)
            {
                items.Unreadable[items.Count] = (JsonReadError.FieldOf(exception) ?? ValidationProblemResponse.BodyField, JsonReadError.Describe(exception.Message));
                items.Add(null);
            }
        }

        return items;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<IocRequest?> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.ToList(), options);
}

/// <summary>A batch's items as read, with the field and reason of each item that could not be read (held as null).</summary>
internal sealed class IocBatchItems : List<IocRequest?>
{
    public Dictionary<int, (string Field, string Message)> Unreadable { get; } = [];
}
