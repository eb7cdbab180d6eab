using FluentValidation;
using Microsoft.Extensions.Options;
using ThreatIntel.Api.Features.Iocs;
using ThreatIntel.Api.Http;
using ThreatIntel.Core;
using ThreatIntel.Core.AlertDefinitions;

namespace ThreatIntel.Api.Features.AlertDefinitions;

internal class AlertDefinitionRequestValidator<T> : AbstractValidator<T>
    where T : AlertDefinitionRequest
{
    public AlertDefinitionRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().WithMessage("A name is required.")
            .MaximumLength(FieldLimits.DefinitionNameMaxLength);
        RuleFor(r => r.Description).MaximumLength(FieldLimits.DefinitionDescriptionMaxLength);
        RuleFor(r => r.Severity).IsInEnum();
        RuleFor(r => r.Category).MaximumLength(FieldLimits.CategoryMaxLength);
        RuleFor(r => r.RecommendedActions).MaximumLength(FieldLimits.RecommendedActionsMaxLength);
        RuleFor(r => r.MitreTechniques!.Count).LessThanOrEqualTo(FieldLimits.MitreTechniquesMaxCount)
            .OverridePropertyName("mitreTechniques").When(r => r.MitreTechniques is not null);
        RuleForEach(r => r.MitreTechniques).NotEmpty()
            .Matches(AlertDefinitionRules.MitreTechniquePattern)
            .WithMessage("'{PropertyValue}' is not a MITRE ATT&CK technique id such as T1059 or T1059.001.");
        RuleFor(r => r.Tags!.Count).LessThanOrEqualTo(FieldLimits.TagsMaxCount)
            .OverridePropertyName("tags").When(r => r.Tags is not null);
        RuleForEach(r => r.Tags).NotEmpty().MaximumLength(FieldLimits.TagMaxLength);
    }
}

// PUT binds the base request; assembly scanning registers no validator for it from the open generic above.
internal sealed class UpdateAlertDefinitionRequestValidator : AlertDefinitionRequestValidator<AlertDefinitionRequest>;

internal sealed class CreateAlertDefinitionRequestValidator : AlertDefinitionRequestValidator<CreateAlertDefinitionRequest>
{
    public CreateAlertDefinitionRequestValidator(IValidator<IocRequest> iocValidator, IOptions<RequestLimitsOptions> limits)
    {
        var maxIocs = limits.Value.MaxIocsPerBatch;
        RuleFor(r => r.Iocs!.Count).LessThanOrEqualTo(maxIocs)
            .OverridePropertyName("iocs").When(r => r.Iocs is not null)
            .WithMessage($"A definition is created with at most {maxIocs} IOCs; add more with the batch route.");
        RuleForEach(r => r.Iocs).NotNull().SetValidator(iocValidator!);
    }
}


internal sealed class ListAlertDefinitionsParametersValidator : AbstractValidator<ListAlertDefinitionsParameters>
{
    public ListAlertDefinitionsParametersValidator(IValidator<PagingParameters> paging)
    {
        Include(paging);
        RuleForEach(p => p.Severity).IsInEnum();
        RuleFor(p => p.Sort)
            .Must(sort => AlertDefinitionSort.TryParse(sort, out _, out _))
            .WithMessage("sort must be name, severity or updatedAt, optionally prefixed with '-' for descending order.");
    }
}
