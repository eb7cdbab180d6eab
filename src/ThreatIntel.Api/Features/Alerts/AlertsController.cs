using Microsoft.AspNetCore.Mvc;
using ThreatIntel.Api.Auth;
using ThreatIntel.Api.Http;
using ThreatIntel.Core.Alerts;
using ThreatIntel.Core.ApiKeys;
using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Api.Features.Alerts;

/// <summary>Alerts raised by matches, for analysts to triage.</summary>
[Route("api/v1/alerts")]
[Tags("Alerts")]
public sealed class AlertsController(IAlertRepository alerts) : ApiControllerBase
{
    /// <summary>Lists alerts, most recently seen first.</summary>
    /// <param name="parameters">Filters and page.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">A page of alerts.</response>
    /// <response code="400">A filter or the page is invalid.</response>
    [HttpGet]
    [RequireScope(ApiKeyScopes.AlertsRead)]
    [ProducesResponseType<PagedResponse<AlertResponse>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<PagedResponse<AlertResponse>> List([FromQuery] ListAlertsParameters parameters, CancellationToken cancellationToken)
    {
        var query = new AlertQuery(parameters.Status, parameters.Severity, parameters.AlertDefinitionId, parameters.DeviceId,
            parameters.Since?.UtcDateTime, parameters.ToPageRequest());
        return (await alerts.ListAsync(query, cancellationToken)).ToResponse(AlertResponse.From);
    }

    /// <summary>Reads one alert.</summary>
    /// <param name="id">The alert's id.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">The alert; <c>ETag</c> carries its version for <c>If-Match</c>.</response>
    /// <response code="404">No alert has this id.</response>
    [HttpGet("{id:guid}")]
    [RequireScope(ApiKeyScopes.AlertsRead)]
    [ProducesResponseType<AlertResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Get(Guid id, CancellationToken cancellationToken)
    {
        var alert = await alerts.FindAsync(id, cancellationToken);
        if (alert is null)
        {
            return NotFoundProblem(AlertNotFoundDetail(id));
        }

        SetETag(alert.Version);
        return Ok(AlertResponse.From(alert));
    }

    /// <summary>Triages an alert: status, assignee, and a comment appended with its author and time.</summary>
    /// <param name="id">The alert's id.</param>
    /// <param name="request">What to change.</param>
    /// <param name="ifMatch">The <c>ETag</c> read before; when given, the change fails with 412 if it is stale.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">Triaged; <c>ETag</c> carries the new version.</response>
    /// <response code="400">A field is invalid.</response>
    /// <response code="404">No alert has this id.</response>
    /// <response code="409">Reopening it would make a second open alert for the same definition, IOC and device.</response>
    /// <response code="412">The <c>If-Match</c> ETag is stale.</response>
    /// <response code="415">The body is not JSON.</response>
    [HttpPatch("{id:guid}")]
    [RequireScope(ApiKeyScopes.AlertsWrite)]
    [Consumes("application/json", "application/merge-patch+json")]
    [ProducesResponseType<AlertResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<IActionResult> Triage(
        Guid id, TriageAlertRequest request, [FromHeader(Name = "If-Match")] string? ifMatch, CancellationToken cancellationToken)
    {
        var result = await alerts.TriageAsync(
            id, EntityTag.ExpectedVersion(ifMatch), request.Status, request.AssignedTo?.Trim(), request.Comment, cancellationToken);
        switch (result.Outcome)
        {
            case StoreOutcome.Succeeded:
                SetETag(result.Value!.Version);
                return Ok(AlertResponse.From(result.Value));
            case StoreOutcome.Conflict:
                return ConflictProblem(
                    $"Another open alert exists for the same definition, IOC and device: {result.ConflictingId}.",
                    Url.Action(nameof(Get), new { id = result.ConflictingId })!,
                    result.ConflictingId!.Value);
            default:
                return FailedWrite(result.Outcome, AlertNotFoundDetail(id));
        }
    }

    private static string AlertNotFoundDetail(Guid id) => $"There is no alert with id {id}.";
}
