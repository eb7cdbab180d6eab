using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using ThreatIntel.Api.Auth;
using ThreatIntel.Api.Features.Matching;
using ThreatIntel.Api.Http;
using ThreatIntel.Core.ApiKeys;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Api.Features.Iocs;

/// <summary>IOCs: indicators of compromise, each held by one alert definition.</summary>
[Route("api/v1/alert-definitions/{alertDefinitionId:guid}/iocs")]
[Tags("IOCs")]
[VisibleToMatching]
public sealed class AlertDefinitionIocsController(IIocRepository iocs) : ApiControllerBase
{
    /// <summary>Lists the IOCs of an alert definition, oldest first.</summary>
    /// <param name="alertDefinitionId">The definition's id.</param>
    /// <param name="parameters">Filters and page.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">A page of IOCs.</response>
    /// <response code="400">A filter or the page is invalid.</response>
    /// <response code="404">No definition has this id.</response>
    [RequireScope(ApiKeyScopes.DefinitionsRead)]
    [HttpGet]
    [ProducesResponseType<PagedResponse<IocResponse>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> List(
        Guid alertDefinitionId, [FromQuery] ListIocsParameters parameters, CancellationToken cancellationToken)
    {
        var query = new IocQuery(parameters.Type, parameters.Action, parameters.Enabled, parameters.ToPageRequest());
        var page = await iocs.ListForDefinitionAsync(alertDefinitionId, query, cancellationToken);
        return page is null
            ? NotFoundProblem(DefinitionNotFoundDetail(alertDefinitionId))
            : Ok(page.ToResponse(ioc => ioc.ToResponse()));
    }

    /// <summary>Adds one IOC to an alert definition.</summary>
    /// <param name="alertDefinitionId">The definition's id.</param>
    /// <param name="request">The IOC; its value is normalised before it is stored.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="201">Created; <c>Location</c> points to it.</response>
    /// <response code="400">A field is invalid (wrong hash length, host bits in a CIDR, a pattern that cannot run, a type/action pair not allowed, ...).</response>
    /// <response code="404">No definition has this id.</response>
    /// <response code="409">The definition already holds this IOC; <c>existingId</c> names it.</response>
    /// <response code="415">The body is not JSON.</response>
    [RequireScope(ApiKeyScopes.DefinitionsWrite)]
    [HttpPost]
    [Consumes("application/json")]
    [ProducesResponseType<IocResponse>(StatusCodes.Status201Created, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<IActionResult> Add(Guid alertDefinitionId, IocRequest request, CancellationToken cancellationToken)
    {
        var result = await iocs.AddAsync(alertDefinitionId, request.ToSpecification(), cancellationToken);
        return result.Outcome switch
        {
            StoreOutcome.Succeeded => CreatedIoc(result.Value!),
            StoreOutcome.Conflict => DuplicateIoc(result.ConflictingId!.Value),
            _ => NotFoundProblem(DefinitionNotFoundDetail(alertDefinitionId)),
        };
    }

    /// <summary>Adds up to 10,000 IOCs to an alert definition, with a result per item.</summary>
    /// <remarks>
    /// Each item is validated on its own. Valid new items are committed together in one transaction; duplicates
    /// (of stored IOCs or of an earlier item) and invalid items are reported and do not stop the others.
    /// </remarks>
    /// <param name="alertDefinitionId">The definition's id.</param>
    /// <param name="request">The IOCs.</param>
    /// <param name="itemValidator">Validates each item.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">One result per item: <c>created</c>, <c>duplicate</c> or <c>rejected</c>.</response>
    /// <response code="400">The batch is empty or holds more than 10,000 items.</response>
    /// <response code="404">No definition has this id.</response>
    /// <response code="409">A concurrent request stored one of these IOCs first; nothing was written, retry.</response>
    /// <response code="413">The body is too large.</response>
    /// <response code="415">The body is not JSON.</response>
    [RequireScope(ApiKeyScopes.DefinitionsWrite)]
    [HttpPost("batch")]
    [BulkRequestBody]
    [Consumes("application/json")]
    [ProducesResponseType<IocBatchResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<IActionResult> AddBatch(
        Guid alertDefinitionId,
        IocBatchRequest request,
        [FromServices] IValidator<IocRequest> itemValidator,
        CancellationToken cancellationToken)
    {
        var validation = IocBatch.Validate(request.Iocs!, itemValidator);
        var result = await iocs.AddBatchAsync(alertDefinitionId, validation.Valid, cancellationToken);
        return result.Outcome switch
        {
            StoreOutcome.Succeeded => Ok(IocBatch.ToResponse(validation.Rejected, result.Value!)),
            StoreOutcome.Conflict => Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Conflict",
                detail: "A concurrent request stored some of these IOCs while this batch was being written; nothing of this batch was stored. Retry it."),
            _ => NotFoundProblem(DefinitionNotFoundDetail(alertDefinitionId)),
        };
    }

    private CreatedAtActionResult CreatedIoc(Ioc ioc)
    {
        SetETag(ioc.Version);
        return CreatedAtAction(nameof(IocsController.Get), "Iocs", new { id = ioc.Id }, ioc.ToResponse());
    }

    private ObjectResult DuplicateIoc(Guid existingId) => ConflictProblem(
        $"This alert definition already holds an IOC with the same type, action and value: {existingId}.",
        Url.Action(nameof(IocsController.Get), "Iocs", new { id = existingId })!,
        existingId);

    private static string DefinitionNotFoundDetail(Guid id) => $"There is no alert definition with id {id}.";
}
