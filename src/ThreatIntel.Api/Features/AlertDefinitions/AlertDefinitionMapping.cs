using ThreatIntel.Api.Features.Iocs;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Api.Features.AlertDefinitions;

internal static class AlertDefinitionMapping
{
    /// <summary>Maps a request that passed validation to the domain's metadata.</summary>
    public static AlertDefinitionMetadata ToMetadata(this AlertDefinitionRequest request) => new(
        request.Name!.Trim(),
        TrimToNull(request.Description),
        request.Severity ?? Severity.Medium,
        TrimToNull(request.Category),
        request.MitreTechniques ?? [],
        TrimToNull(request.RecommendedActions),
        request.Tags ?? [],
        request.Enabled ?? true);

    public static AlertDefinition ToDefinition(this CreateAlertDefinitionRequest request, DateTime now)
    {
        var definition = AlertDefinition.Create(request.ToMetadata(), now);
        var specifications = (request.Iocs ?? []).Select(ioc => ioc!.ToSpecification())
            .DistinctBy(spec => (spec.Type, spec.Action, Convert.ToHexString(IocValueKey.Compute(spec.Type, spec.Action, spec.Value))));
        foreach (var specification in specifications)
        {
            definition.AddIoc(specification, now);
        }

        return definition;
    }

    public static AlertDefinitionResponse ToResponse(this AlertDefinitionWithCount stored) => new()
    {
        Id = stored.Definition.Id,
        Name = stored.Definition.Name,
        Description = stored.Definition.Description,
        Severity = stored.Definition.Severity,
        Category = stored.Definition.Category,
        MitreTechniques = stored.Definition.MitreTechniques,
        RecommendedActions = stored.Definition.RecommendedActions,
        Tags = stored.Definition.Tags,
        Enabled = stored.Definition.Enabled,
        Source = stored.Definition.Source,
        CreatedAt = stored.Definition.CreatedAt,
        CreatedBy = stored.Definition.CreatedBy,
        UpdatedAt = stored.Definition.UpdatedAt,
        UpdatedBy = stored.Definition.UpdatedBy,
        IocCount = stored.IocCount,
    };

    private static string? TrimToNull(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
