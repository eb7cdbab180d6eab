using System.Text.RegularExpressions;

namespace ThreatIntel.Core.AlertDefinitions;

/// <summary>
/// The rules a definition's metadata must follow wherever it comes from (the API's validators and feed pushes), with
/// the limits of <see cref="FieldLimits"/>.
/// </summary>
public static partial class AlertDefinitionRules
{
    /// <summary>A MITRE ATT&amp;CK technique or sub-technique id such as <c>T1059</c> or <c>T1059.001</c>.</summary>
    public const string MitreTechniquePattern = @"^[Tt][0-9]{4}(\.[0-9]{3})?\z";

    /// <summary>Every rule <paramref name="metadata"/> breaks, as (field, message); empty when it is valid.</summary>
    public static IEnumerable<(string Field, string Message)> Check(AlertDefinitionMetadata metadata)
    {
        if (string.IsNullOrWhiteSpace(metadata.Name))
        {
            yield return ("name", "A name is required.");
        }
        else if (metadata.Name.Trim().Length > FieldLimits.DefinitionNameMaxLength)
        {
            yield return ("name", $"The name must be {FieldLimits.DefinitionNameMaxLength} characters or fewer.");
        }

        if (metadata.Description?.Length > FieldLimits.DefinitionDescriptionMaxLength)
        {
            yield return ("description", $"The description must be {FieldLimits.DefinitionDescriptionMaxLength} characters or fewer.");
        }

        if (!Enum.IsDefined(metadata.Severity))
        {
            yield return ("severity", $"'{metadata.Severity}' is not a severity.");
        }

        if (metadata.Category?.Length > FieldLimits.CategoryMaxLength)
        {
            yield return ("category", $"The category must be {FieldLimits.CategoryMaxLength} characters or fewer.");
        }

        if (metadata.RecommendedActions?.Length > FieldLimits.RecommendedActionsMaxLength)
        {
            yield return ("recommendedActions", $"Recommended actions must be {FieldLimits.RecommendedActionsMaxLength} characters or fewer.");
        }

        if (metadata.MitreTechniques.Count > FieldLimits.MitreTechniquesMaxCount)
        {
            yield return ("mitreTechniques", $"At most {FieldLimits.MitreTechniquesMaxCount} MITRE techniques are allowed.");
        }

        foreach (var technique in metadata.MitreTechniques)
        {
            if (string.IsNullOrEmpty(technique) || !MitreTechnique().IsMatch(technique))
            {
                yield return ("mitreTechniques", $"'{technique}' is not a MITRE ATT&CK technique id such as T1059 or T1059.001.");
            }
        }

        if (metadata.Tags.Count > FieldLimits.TagsMaxCount)
        {
            yield return ("tags", $"At most {FieldLimits.TagsMaxCount} tags are allowed.");
        }

        foreach (var tag in metadata.Tags)
        {
            if (string.IsNullOrWhiteSpace(tag) || tag.Length > FieldLimits.TagMaxLength)
            {
                yield return ("tags", $"A tag must be 1 to {FieldLimits.TagMaxLength} characters.");
            }
        }
    }

    [GeneratedRegex(MitreTechniquePattern, RegexOptions.CultureInvariant)]
    private static partial Regex MitreTechnique();
}
