using FluentValidation;
using Microsoft.Extensions.Options;
using ThreatIntel.Api.Http;
using ThreatIntel.Core;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Iocs.Normalization;

namespace ThreatIntel.Api.Features.Iocs;

internal sealed class IocRequestValidator : AbstractValidator<IocRequest>
{
    public IocRequestValidator(IOptions<RequestLimitsOptions> limits)
    {
        var maxValueLength = limits.Value.MaxIocValueLength;
        var maxPatternLength = limits.Value.MaxRegexPatternLength;
        RuleFor(r => r.Type).NotNull().WithMessage("A type is required.").IsInEnum();
        RuleFor(r => r.Action).IsInEnum();
        RuleFor(r => r.Action)
            .Must((request, _) => IocTypeRules.IsAllowed(request.Type!.Value, request.EffectiveAction()))
            .When(r => r.Type is { } type && Enum.IsDefined(type) && (r.Action is null || Enum.IsDefined(r.Action.Value)))
            .WithMessage(request =>
                $"Action {request.EffectiveAction()} is not allowed for type {request.Type}; allowed: "
                + string.Join(", ", IocTypeRules.AllowedActions(request.Type!.Value)) + ".");
        RuleFor(r => r.Value).Custom((value, context) =>
        {
            var request = context.InstanceToValidate;
            if (string.IsNullOrWhiteSpace(value))
            {
                context.AddFailure("A value is required.");
                return;
            }

            var trimmedLength = value.Trim().Length;
            if (trimmedLength > maxValueLength)
            {
                context.AddFailure($"A value must be at most {maxValueLength} characters; got {trimmedLength}.");
                return;
            }

            if (request.Action == IocAction.Regex && trimmedLength > maxPatternLength)
            {
                context.AddFailure($"A regular expression must be at most {maxPatternLength} characters; got {trimmedLength}.");
                return;
            }

            if (request.Type is not { } type || !Enum.IsDefined(type)
                || (request.Action is { } action && !Enum.IsDefined(action))
                || !IocTypeRules.IsAllowed(type, request.EffectiveAction()))
            {
                return;
            }

            var normalized = IocValueNormalizer.Normalize(type, request.EffectiveAction(), value);
            if (!normalized.IsValid)
            {
                context.AddFailure(normalized.Error);
            }
        });
        RuleFor(r => r.Description).MaximumLength(FieldLimits.IocDescriptionMaxLength);
    }
}

internal sealed class IocBatchRequestValidator : AbstractValidator<IocBatchRequest>
{
    public IocBatchRequestValidator(IOptions<RequestLimitsOptions> limits)
    {
        var maxIocs = limits.Value.MaxIocsPerBatch;
        // Items are validated one by one by the controller so that each gets its own result.
        RuleFor(r => r.Iocs).NotEmpty().WithMessage("iocs must hold at least one IOC.");
        RuleFor(r => r.Iocs!.Count)
            .LessThanOrEqualTo(maxIocs)
            .OverridePropertyName("iocs")
            .When(r => r.Iocs is not null)
            .WithMessage($"A batch holds at most {maxIocs} IOCs.");
    }
}

internal sealed class ListIocsParametersValidator : AbstractValidator<ListIocsParameters>
{
    public ListIocsParametersValidator(IValidator<PagingParameters> paging)
    {
        Include(paging);
        RuleFor(p => p.Type).IsInEnum();
        RuleFor(p => p.Action).IsInEnum();
    }
}

internal sealed class LookupIocsParametersValidator : AbstractValidator<LookupIocsParameters>
{
    public LookupIocsParametersValidator(IValidator<PagingParameters> paging)
    {
        Include(paging);
        RuleFor(p => p.Type).IsInEnum();
        RuleFor(p => p.Action).IsInEnum();
        RuleFor(p => p.Type).NotNull()
            .When(p => !string.IsNullOrWhiteSpace(p.Value))
            .WithMessage("type is required to look a value up, because values are normalised per type.");
        RuleFor(p => p.Value)
            .Must((parameters, value) => IocMapping.HasLookupReading(parameters.Type!.Value, parameters.Action, value!))
            .When(p => !string.IsNullOrWhiteSpace(p.Value) && p.Type is { } type && Enum.IsDefined(type)
                && (p.Action is null || Enum.IsDefined(p.Action.Value)))
            .WithMessage(p => $"'{p.Value}' is not a valid {p.Type} value for any of its actions.");
    }
}
