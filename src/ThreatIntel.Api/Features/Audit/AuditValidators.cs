using FluentValidation;
using ThreatIntel.Api.Http;

namespace ThreatIntel.Api.Features.Audit;

internal sealed class AuditParametersValidator : AbstractValidator<AuditParameters>
{
    public AuditParametersValidator(IValidator<PagingParameters> paging) => Include(paging);
}
