using FluentValidation;
using Microsoft.Extensions.Options;
using ThreatIntel.Api.Http;
using ThreatIntel.Core;

namespace ThreatIntel.Api.Features.Events;

internal sealed class EvaluateEventsRequestValidator : AbstractValidator<EvaluateEventsRequest>
{
    public EvaluateEventsRequestValidator(IOptions<RequestLimitsOptions> limits)
    {
        var maxEvents = limits.Value.MaxEventsPerBatch;
        RuleFor(r => r.Events).NotEmpty().WithMessage("events must hold at least one event.");
        RuleFor(r => r.Events!.Count).LessThanOrEqualTo(maxEvents)
            .OverridePropertyName("events").When(r => r.Events is not null)
            .WithMessage($"A request holds at most {maxEvents} events.");
        RuleForEach(r => r.Events).NotNull().SetValidator(new EventRequestValidator()!);
    }
}

internal sealed class EventRequestValidator : AbstractValidator<EventRequest>
{
    public EventRequestValidator()
    {
        RuleFor(e => e.Id).MaximumLength(FieldLimits.EventIdMaxLength);
        RuleFor(e => e.DeviceId).MaximumLength(FieldLimits.DeviceIdMaxLength);
        RuleFor(e => e.Observables!.Count).LessThanOrEqualTo(FieldLimits.ObservablesPerEventMaxCount)
            .OverridePropertyName("observables").When(e => e.Observables is not null);
        RuleForEach(e => e.Observables).NotNull().ChildRules(observable =>
        {
            observable.RuleFor(o => o!.Type).NotNull().WithMessage("A type is required.").IsInEnum();
            observable.RuleFor(o => o!.Value).NotEmpty().WithMessage("A value is required.")
                .MaximumLength(FieldLimits.ObservedValueMaxLength);
        });
    }
}
