using System.Text.Json;
using System.Text.RegularExpressions;

namespace ThreatIntel.Api.Http;

/// <summary>
/// What a caller is told when a JSON value cannot be read into its field: System.Text.Json names the .NET type it
/// wanted (<c>System.Nullable`1[System.DateTimeOffset]</c>) and its reader position, neither of which means anything
/// to a client that has the field path; this says what the field takes instead.
/// </summary>
internal static partial class JsonReadError
{
    public static string Describe(string message)
    {
        // The reader position is appended to every message; the caller gets the field path instead.
        var position = message.IndexOf(" Path: ", StringComparison.Ordinal);
        message = position > 0 ? message[..position] : message;

        var conversion = ConversionMessage().Match(message);
        return conversion.Success ? $"The value is not {Expected(conversion.Groups["type"].Value)}." : message;
    }

    /// <summary>The field an exception from reading an object is about, relative to that object (<c>type</c>); null for the object itself.</summary>
    public static string? FieldOf(JsonException exception) =>
        exception.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;

    private static string Expected(string clrType)
    {
        var nullable = NullableType().Match(clrType);
        var type = nullable.Success ? nullable.Groups["inner"].Value : clrType;
        return type switch
        {
            "System.DateTimeOffset" or "System.DateTime" => "an ISO-8601 date and time, such as 2030-01-01T00:00:00Z",
            "System.Boolean" => "true or false",
            "System.String" => "a string",
            "System.Guid" => "a GUID",
            "System.Int32" or "System.Int64" or "System.Double" or "System.Decimal" => "a number",
            _ when type.Contains("List`1", StringComparison.Ordinal) || type.EndsWith("[]", StringComparison.Ordinal) => "an array",
            _ => "an object of the documented shape",
        };
    }

    [GeneratedRegex(@"^The JSON value could not be converted to (?<type>\S+)\.$")]
    private static partial Regex ConversionMessage();

    [GeneratedRegex(@"^System\.Nullable`1\[(?<inner>.+)\]$")]
    private static partial Regex NullableType();
}
