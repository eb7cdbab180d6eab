using FluentValidation;
using ThreatIntel.Api.Http;

namespace ThreatIntel.Api.Features.Feeds;

internal sealed class ListFeedsParametersValidator : AbstractValidator<ListFeedsParameters>
{
    public ListFeedsParametersValidator(IValidator<PagingParameters> paging) => Include(paging);
}
