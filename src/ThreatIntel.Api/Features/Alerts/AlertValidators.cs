using FluentValidation;
using ThreatIntel.Api.Http;
using ThreatIntel.Core;

namespace ThreatIntel.Api.Features.Alerts;

internal sealed class ListAlertsParametersValidator : AbstractValidator<ListAlertsParameters>
{
    public ListAlertsParametersValidator(IValidator<PagingParameters> paging)
    {
        Include(paging);
        RuleFor(p => p.Status).IsInEnum();
        RuleFor(p => p.Severity).IsInEnum();
    }
}

internal sealed class TriageAlertRequestValidator : AbstractValidator<TriageAlertRequest>
{
    public TriageAlertRequestValidator()
    {
        RuleFor(r => r.Status).IsInEnum();
        RuleFor(r => r.AssignedTo).MaximumLength(FieldLimits.ActorMaxLength);
        RuleFor(r => r.Comment).MaximumLength(FieldLimits.AlertCommentMaxLength);
        RuleFor(r => r)
            .Must(r => r.Status is not null || r.AssignedTo is not null || !string.IsNullOrWhiteSpace(r.Comment))
            .OverridePropertyName("body")
            .WithMessage("Give at least one of status, assignedTo or comment.");
    }
}
