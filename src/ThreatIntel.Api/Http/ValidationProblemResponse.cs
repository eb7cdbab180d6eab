using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ThreatIntel.Api.Http;

/// <summary>
/// Writes every 400 from binding and validation as one RFC 9457 problem whose <c>errors</c> are keyed by the
/// field path a client sent (<c>iocs[2].value</c>), whether the error came from the JSON reader or a validator.
/// </summary>
internal static partial class ValidationProblemResponse
{
    public const string BodyField = "body";

    public static IActionResult Create(ActionContext context)
    {
        var bodyParameters = context.ActionDescriptor.Parameters
            .Where(p => p.BindingInfo?.BindingSource == BindingSource.Body)
            .Select(p => p.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        var errors = new List<(string Field, string Message)>();
        foreach (var (key, entry) in context.ModelState)
        {
            errors.AddRange(entry.Errors.Select(error => (FieldPath(key, bodyParameters), Message(error))));
        }

        // When the JSON itself was unreadable or empty, MVC also reports the body parameter as missing, by its C#
        // name ("The request field is required."); that echo names no field and only hides the real error, which
        // may share the "body" key with it.
        if (errors.Any(error => !IsMissingBodyEcho(error)))
        {
            errors.RemoveAll(IsMissingBodyEcho);
        }

        var cleaned = new ModelStateDictionary();
        foreach (var (field, message) in errors)
        {
            cleaned.AddModelError(field, message);
        }

        var factory = context.HttpContext.RequestServices.GetRequiredService<ProblemDetailsFactory>();
        var problem = factory.CreateValidationProblemDetails(
            context.HttpContext, cleaned, StatusCodes.Status400BadRequest,
            detail: "The request has invalid fields; see errors.");
        return new BadRequestObjectResult(problem) { ContentTypes = { "application/problem+json" } };
    }

    private static bool IsMissingBodyEcho((string Field, string Message) error) =>
        error.Field == BodyField && error.Message.EndsWith("field is required.", StringComparison.Ordinal);

    private static string FieldPath(string key, HashSet<string> bodyParameters)
    {
        var path = key.StartsWith("$.", StringComparison.Ordinal) ? key[2..]
            : key == "$" ? string.Empty
            : key;
        if (bodyParameters.Contains(path))
        {
            path = string.Empty;
        }

        return path.Length == 0 ? BodyField : CamelCasePath(path);
    }

    private static string CamelCasePath(string path) =>
        FieldNamePattern().Replace(path, match => char.ToLowerInvariant(match.Value[0]) + match.Value[1..]);

    private static string Message(ModelError error)
    {
        var message = string.IsNullOrEmpty(error.ErrorMessage) ? error.Exception?.Message ?? "Invalid value." : error.ErrorMessage;
        return JsonReadError.Describe(message);
    }

    [GeneratedRegex(@"(?<=^|\.)[A-Z][A-Za-z0-9]*")]
    private static partial Regex FieldNamePattern();
}
