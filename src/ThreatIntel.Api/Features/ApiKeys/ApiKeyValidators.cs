using FluentValidation;
using ThreatIntel.Api.Http;
using ThreatIntel.Core;
using ThreatIntel.Core.ApiKeys;

namespace ThreatIntel.Api.Features.ApiKeys;

internal sealed class CreateApiKeyRequestValidator : AbstractValidator<CreateApiKeyRequest>
{
    public CreateApiKeyRequestValidator(TimeProvider timeProvider)
    {
        // Stops at the first failure: without it a missing name reached the reserved-name check below and was a 500.
        RuleFor(r => r.Name).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("A name is required.")
            .MaximumLength(FieldLimits.ActorMaxLength)
            .Must(name => name!.Trim() != Core.Auditing.ICurrentActor.System)
            .WithMessage($"'{Core.Auditing.ICurrentActor.System}' is reserved for changes the service makes itself.");
        RuleFor(r => r.Scopes).NotEmpty().WithMessage("A key needs at least one scope.");
        RuleForEach(r => r.Scopes)
            .Must(scope => scope is not null && ApiKeyScopes.IsKnown(scope))
            .WithMessage($"'{{PropertyValue}}' is not a scope; known scopes: {string.Join(", ", ApiKeyScopes.All)}.");
        RuleFor(r => r.ExpiresAt)
            .Must(expiresAt => expiresAt > timeProvider.GetUtcNow())
            .When(r => r.ExpiresAt is not null)
            .WithMessage("expiresAt must lie in the future.");
    }
}

internal sealed class ListApiKeysParametersValidator : AbstractValidator<ListApiKeysParameters>
{
    public ListApiKeysParametersValidator(IValidator<PagingParameters> paging) => Include(paging);
}
