using FluentValidation;
using ThreatIntel.Api.Http;
using ThreatIntel.Core;
using ThreatIntel.Core.Alerts;

namespace ThreatIntel.Api.Features.Alerts;

internal sealed class ListAlertsParametersValidator : AbstractValidator<ListAlertsParameters>
{
    public ListAlertsParametersValidator(IValidator<PagingParameters> paging)
    {
        Include(paging);
        RuleForEach(p => p.Status).IsInEnum();
        RuleForEach(p => p.Severity).IsInEnum();
    }
}

internal sealed class AlertStreamParametersValidator : AbstractValidator<AlertStreamParameters>
{
    public AlertStreamParametersValidator()
    {
        RuleForEach(p => p.Severity).IsInEnum();
        RuleFor(p => p.MinSeverity).IsInEnum();
        RuleFor(p => p.AlertDefinitionId).Must(ids => ids is null || ids.Count <= FieldLimits.AlertStreamDefinitionsMaxCount)
            .WithMessage($"Give at most {FieldLimits.AlertStreamDefinitionsMaxCount} definitions.");
        RuleForEach(p => p.Type).Must(type => AlertChangeMessage.KindOf(type) is not null)
            .WithMessage("'{PropertyValue}' is not an event type; use alert.raised, alert.updated or alert.triaged.");
        RuleFor(p => p.LastEventId).GreaterThanOrEqualTo(0);
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
            .Must(r => r.Status is not null || r.AssignedToGiven || !string.IsNullOrWhiteSpace(r.Comment))
            .OverridePropertyName("body")
            .WithMessage("Give at least one of status, assignedTo or comment.");
    }
}
