using FluentValidation;
using ThreatIntel.Core;

namespace ThreatIntel.Api.Http;

internal sealed class PagingParametersValidator : AbstractValidator<PagingParameters>
{
    public PagingParametersValidator()
    {
        RuleFor(p => p.Page).GreaterThanOrEqualTo(1);
        RuleFor(p => p.PageSize).InclusiveBetween(1, FieldLimits.MaxPageSize);
    }
}
