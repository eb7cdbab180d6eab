using Microsoft.AspNetCore.Mvc;
using ThreatIntel.Api.Auth;
using ThreatIntel.Api.Http;
using ThreatIntel.Core.ApiKeys;
using ThreatIntel.Core.Auditing;

namespace ThreatIntel.Api.Features.Audit;

/// <summary>The audit log: who changed what, and when. Admin only.</summary>
[Route("api/v1/audit")]
[Tags("Audit")]
public sealed class AuditController(IAuditLog auditLog) : ApiControllerBase
{
    /// <summary>Lists recorded changes, newest first.</summary>
    /// <param name="parameters">Filters and page.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">A page of audit entries.</response>
    /// <response code="400">A filter or the page is invalid.</response>
    [HttpGet]
    [RequireScope(ApiKeyScopes.Admin)]
    [ProducesResponseType<PagedResponse<AuditEntryResponse>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<PagedResponse<AuditEntryResponse>> List([FromQuery] AuditParameters parameters, CancellationToken cancellationToken)
    {
        var query = new AuditQuery(
            parameters.EntityType, parameters.EntityId, parameters.Actor, parameters.Since?.UtcDateTime, parameters.ToPageRequest());
        var page = await auditLog.QueryAsync(query, cancellationToken);
        return page.ToResponse(AuditEntryResponse.From);
    }
}
