using FluentValidation;
using Microsoft.Extensions.Options;

namespace ThreatIntel.Api.Http;

internal sealed class PagingParametersValidator : AbstractValidator<PagingParameters>
{
    public PagingParametersValidator(IOptions<RequestLimitsOptions> limits)
    {
        var maxPageSize = limits.Value.MaxPageSize;
        RuleFor(p => p.Page).GreaterThanOrEqualTo(1);
        RuleFor(p => p.PageSize).InclusiveBetween(1, maxPageSize);

        // The rows to skip, (page - 1) × pageSize, are an int: past int.MaxValue they wrap around and the first
        // page would come back labelled as the one asked for.
        RuleFor(p => p.Page)
            .Must((parameters, page) => (long)(page - 1) * parameters.PageSize <= int.MaxValue)
            .When(p => p.Page >= 1 && p.PageSize >= 1 && p.PageSize <= maxPageSize)
            .WithMessage(p => $"page is too large for pageSize {p.PageSize}: (page - 1) × pageSize must not exceed {int.MaxValue}.");
    }
}
