using FluentValidation;
using ThreatIntel.Core;

namespace ThreatIntel.Api.Http;

internal sealed class PagingParametersValidator : AbstractValidator<PagingParameters>
{
    public PagingParametersValidator()
    {
        RuleFor(p => p.Page).GreaterThanOrEqualTo(1);
        RuleFor(p => p.PageSize).InclusiveBetween(1, FieldLimits.MaxPageSize);

        // The rows to skip, (page - 1) × pageSize, are an int: past int.MaxValue they wrap around and the first
        // page would come back labelled as the one asked for.
        RuleFor(p => p.Page)
            .Must((parameters, page) => (long)(page - 1) * parameters.PageSize <= int.MaxValue)
            .When(p => p.Page >= 1 && p.PageSize is >= 1 and <= FieldLimits.MaxPageSize)
            .WithMessage(p => $"page is too large for pageSize {p.PageSize}: (page - 1) × pageSize must not exceed {int.MaxValue}.");
    }
}
