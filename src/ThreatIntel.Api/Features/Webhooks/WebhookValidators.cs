using FluentValidation;
using ThreatIntel.Api.Http;
using ThreatIntel.Core;
using ThreatIntel.Core.Webhooks;

namespace ThreatIntel.Api.Features.Webhooks;

/// <summary>
/// The checks that need no network. Whether the URL's host resolves to allowed addresses is checked by the controller,
/// because validation here runs synchronously and a DNS look-up must not block a request thread.
/// </summary>
internal sealed class WebhookRequestValidator : AbstractValidator<WebhookRequest>
{
    public WebhookRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().WithMessage("A name is required.")
            .MaximumLength(FieldLimits.WebhookNameMaxLength);
        RuleFor(r => r.Url).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("A URL is required.")
            .MaximumLength(FieldLimits.WebhookUrlMaxLength)
            .Custom((url, context) =>
            {
                if (WebhookTargetPolicy.CheckForm(url!.Trim(), out _) is { } problem)
                {
                    context.AddFailure(problem);
                }
            });
        RuleFor(r => r.Secret)
            .Must(WebhookSecret.IsValid)
            .When(r => r.Secret is not null)
            .WithMessage(
                $"A secret is '{WebhookSecret.Prefix}' followed by the base64 of {WebhookSecret.MinimumKeyBytes} to "
                + $"{WebhookSecret.MaximumKeyBytes} random bytes; leave it out to have one generated.");
        RuleFor(r => r.MinimumSeverity).IsInEnum();
        RuleFor(r => r.AlertDefinitionIds!.Count).LessThanOrEqualTo(FieldLimits.WebhookDefinitionsMaxCount)
            .OverridePropertyName("alertDefinitionIds").When(r => r.AlertDefinitionIds is not null);
    }
}

internal sealed class ListWebhooksParametersValidator : AbstractValidator<ListWebhooksParameters>
{
    public ListWebhooksParametersValidator(IValidator<PagingParameters> paging) => Include(paging);
}

internal sealed class ListWebhookDeliveriesParametersValidator : AbstractValidator<ListWebhookDeliveriesParameters>
{
    public ListWebhookDeliveriesParametersValidator(IValidator<PagingParameters> paging)
    {
        Include(paging);
        RuleFor(p => p.Status).IsInEnum();
    }
}
