using Microsoft.AspNetCore.Mvc;
using ThreatIntel.Api.Auth;
using ThreatIntel.Api.Http;
using ThreatIntel.Api.RateLimiting;
using ThreatIntel.Core.ApiKeys;

namespace ThreatIntel.Api.Features.Events;

/// <summary>Events: what sensors and SOC tools observed, evaluated against every enabled IOC.</summary>
[Route("api/v1/events")]
[Tags("Events")]
public sealed class EventsController : ApiControllerBase
{
    /// <summary>Evaluates 1 to 10,000 events and, unless <c>dryRun</c>, raises alerts for their matches.</summary>
    /// <remarks>
    /// Each observable is normalised like an IOC value of its type (an upper-case hash, a trailing-dot or IDN domain, an
    /// IPv4-mapped IPv6 address all match) and compared with every enabled, unexpired IOC of an enabled definition.
    /// Only events with matches are listed. A repeat match on the same device adds to the open alert.
    /// </remarks>
    /// <param name="request">The events.</param>
    /// <param name="dryRun">Report matches without raising alerts.</param>
    /// <param name="evaluator">Does the matching.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">The matches, with the alert each raised or added to.</response>
    /// <response code="400">The request is invalid (no events, more than 10,000, an observable without type or value).</response>
    /// <response code="413">The body is too large.</response>
    /// <response code="415">The body is not JSON.</response>
    /// <response code="503">The matching index is still being built.</response>
    [HttpPost("evaluate")]
    [RequireScope(ApiKeyScopes.EventsSubmit)]
    [RateLimitCategory(RateLimitCategory.Events)]
    [BulkRequestBody]
    [Consumes("application/json")]
    [ProducesResponseType<EvaluateEventsResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> Evaluate(
        EvaluateEventsRequest request,
        [FromQuery] bool dryRun,
        [FromServices] EventEvaluator evaluator,
        CancellationToken cancellationToken)
    {
        var response = await evaluator.EvaluateAsync([.. request.Events!.Select(e => e!)], dryRun, cancellationToken);
        return response is null ? MatchingIndexNotReadyProblem() : Ok(response);
    }
}
