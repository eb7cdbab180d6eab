using FluentValidation;
using Microsoft.Extensions.Options;
using ThreatIntel.Api.Http;
using ThreatIntel.Core;

namespace ThreatIntel.Api.Features.Events;

/// <summary>
/// Checks a batch of up to 10,000 events in one pass. A rule per event and observable would build a validation context
/// for each of the 60,000 or so nodes of a large batch and cost more than matching them; the errors are the same, named
/// by their JSON paths (<c>events[3].observables[1].value</c>).
/// </summary>
internal sealed class EvaluateEventsRequestValidator : AbstractValidator<EvaluateEventsRequest>
{
    public EvaluateEventsRequestValidator(IOptions<RequestLimitsOptions> limits)
    {
        var maxEvents = limits.Value.MaxEventsPerBatch;
        RuleFor(r => r.Events).NotEmpty().WithMessage("events must hold at least one event.");
        RuleFor(r => r.Events!.Count).LessThanOrEqualTo(maxEvents)
            .OverridePropertyName("events").When(r => r.Events is not null)
            .WithMessage($"A request holds at most {maxEvents} events.");
        RuleFor(r => r.Events).Custom(ValidateEvents).When(r => r.Events is not null && r.Events.Count <= maxEvents);
    }

    private static void ValidateEvents(IReadOnlyList<EventRequest?>? events, ValidationContext<EvaluateEventsRequest> context)
    {
        for (var i = 0; i < events!.Count; i++)
        {
            if (events[i] is not { } @event)
            {
                context.AddFailure($"events[{i}]", "An event is required.");
                continue;
            }

            if (@event.Id is { Length: > FieldLimits.EventIdMaxLength })
            {
                context.AddFailure($"events[{i}].id", $"id must be at most {FieldLimits.EventIdMaxLength} characters; got {@event.Id.Length}.");
            }

            if (@event.DeviceId is { Length: > FieldLimits.DeviceIdMaxLength })
            {
                context.AddFailure(
                    $"events[{i}].deviceId", $"deviceId must be at most {FieldLimits.DeviceIdMaxLength} characters; got {@event.DeviceId.Length}.");
            }

            if (@event.Observables is not { } observables)
            {
                continue;
            }

            if (observables.Count > FieldLimits.ObservablesPerEventMaxCount)
            {
                context.AddFailure(
                    $"events[{i}].observables", $"An event holds at most {FieldLimits.ObservablesPerEventMaxCount} observables; got {observables.Count}.");
                continue;
            }

            for (var j = 0; j < observables.Count; j++)
            {
                ValidateObservable(observables[j], $"events[{i}].observables[{j}]", context);
            }
        }
    }

    private static void ValidateObservable(ObservableRequest? observable, string path, ValidationContext<EvaluateEventsRequest> context)
    {
        if (observable is null)
        {
            context.AddFailure(path, "An observable is required.");
            return;
        }

        if (observable.Type is not { } type)
        {
            context.AddFailure($"{path}.type", "A type is required.");
        }
        else if (!Enum.IsDefined(type))
        {
            context.AddFailure($"{path}.type", $"'{type}' is not an observable type.");
        }

        if (string.IsNullOrWhiteSpace(observable.Value))
        {
            context.AddFailure($"{path}.value", "A value is required.");
        }
        else if (observable.Value.Length > FieldLimits.ObservedValueMaxLength)
        {
            context.AddFailure(
                $"{path}.value", $"value must be at most {FieldLimits.ObservedValueMaxLength} characters; got {observable.Value.Length}.");
        }
    }
}
