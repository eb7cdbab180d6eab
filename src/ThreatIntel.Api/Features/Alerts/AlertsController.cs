using System.Globalization;
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
public sealed class AlertsController(IAlertRepository alerts, AlertStream stream) : ApiControllerBase
{
    private const string LastEventIdHeader = "Last-Event-ID";


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

    /// <summary>Streams alert changes live as Server-Sent Events.</summary>
    /// <remarks>
    /// Each event is one change: <c>event:</c> is <c>alert.raised</c>, <c>alert.updated</c> (a repeat match added to an
    /// open alert) or <c>alert.triaged</c>; <c>data:</c> is <c>{"type", "timestamp", "data": {the alert as GET
    /// /alerts/{id} returns it}}</c>; <c>id:</c> increases with every change. Reconnecting with the
    /// <c>Last-Event-ID</c> header (or <c>lastEventId</c>) replays everything committed since that id, from the
    /// database; without it the stream starts with the next change. A <c>: keep-alive</c> comment is sent whenever
    /// the stream has been quiet for a while. The stream does not end: use curl or an EventSource client, not Swagger
    /// UI, to watch it.
    /// </remarks>
    /// <param name="parameters">Filters, and where to resume.</param>
    /// <param name="lastEventId">The id of the last event received; replays what came after it.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">The event stream.</response>
    /// <response code="400">A filter or the last event id is invalid.</response>
    /// <response code="429">The key already holds as many open streams as it may.</response>
    [HttpGet("stream")]
    [RequireScope(ApiKeyScopes.AlertsRead)]
    [ProducesResponseType<string>(StatusCodes.Status200OK, AlertStream.MediaType)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> Stream(
        [FromQuery] AlertStreamParameters parameters,
        [FromHeader(Name = LastEventIdHeader)] string? lastEventId,
        CancellationToken cancellationToken)
    {
        long? resumeAfter = parameters.LastEventId;
        if (lastEventId is not null)
        {
            if (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var headerId))
            {
                // Keyed like the query parameter it stands for.
                ModelState.AddModelError("lastEventId", $"The {LastEventIdHeader} header must be the id of an event of this stream, a non-negative integer.");
                return ValidationProblemResponse.Create(ControllerContext);
            }

            resumeAfter = headerId;
        }

        return await stream.TryWriteAsync(Response, parameters.ToFilter(), resumeAfter, cancellationToken)
            ? new EmptyResult()
            : Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many requests",
                detail: "This API key already holds as many open alert streams as it may (AlertStream:MaxStreamsPerKey); close one first.");
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
            id, EntityTag.ExpectedVersion(ifMatch), request.Status, request.NewAssignee, request.Comment, cancellationToken);
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
