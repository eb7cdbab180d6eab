using Microsoft.AspNetCore.Mvc;
using ThreatIntel.Api.Auth;
using ThreatIntel.Api.Features.Matching;
using ThreatIntel.Api.Http;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.ApiKeys;
using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Api.Features.AlertDefinitions;

/// <summary>Alert definitions: containers of alert metadata that hold IOCs.</summary>
[Route("api/v1/alert-definitions")]
[Tags("Alert definitions")]
[VisibleToMatching]
public sealed class AlertDefinitionsController(IAlertDefinitionRepository definitions, TimeProvider timeProvider)
    : ApiControllerBase
{
    /// <summary>Lists alert definitions, with the number of IOCs each holds.</summary>
    /// <param name="parameters">Filters, order and page.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">A page of definitions.</response>
    /// <response code="400">A filter, the order or the page is invalid.</response>
    [RequireScope(ApiKeyScopes.DefinitionsRead)]
    [HttpGet]
    [ProducesResponseType<PagedResponse<AlertDefinitionResponse>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<PagedResponse<AlertDefinitionResponse>> List(
        [FromQuery] ListAlertDefinitionsParameters parameters, CancellationToken cancellationToken)
    {
        AlertDefinitionSort.TryParse(parameters.Sort, out var sortBy, out var descending);
        var query = new AlertDefinitionQuery(
            parameters.Search, parameters.Severity, parameters.Enabled, parameters.Source, sortBy, descending,
            parameters.ToPageRequest());
        var page = await definitions.ListAsync(query, cancellationToken);
        return page.ToResponse(d => d.ToResponse());
    }

    /// <summary>Creates an alert definition, optionally with its first IOCs, in one transaction.</summary>
    /// <param name="request">The definition's metadata and IOCs.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="201">Created; <c>Location</c> points to it and <c>ETag</c> carries its version.</response>
    /// <response code="400">A field is invalid (the errors name each one); nothing was created.</response>
    /// <response code="409">Another definition has this name.</response>
    /// <response code="413">The body is too large.</response>
    /// <response code="415">The body is not JSON.</response>
    [RequireScope(ApiKeyScopes.DefinitionsWrite)]
    [HttpPost]
    [BulkRequestBody]
    [Consumes("application/json")]
    [ProducesResponseType<AlertDefinitionResponse>(StatusCodes.Status201Created, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<IActionResult> Create(CreateAlertDefinitionRequest request, CancellationToken cancellationToken)
    {
        var definition = request.ToDefinition(timeProvider.GetUtcNow().UtcDateTime);
        var result = await definitions.AddAsync(definition, cancellationToken);
        if (result.Outcome == StoreOutcome.Conflict)
        {
            return NameTaken(result.ConflictingId!.Value, definition.Name);
        }

        SetETag(definition.Version);
        return CreatedAtAction(nameof(Get), new { id = definition.Id }, result.Value!.ToResponse());
    }

    /// <summary>Reads one alert definition.</summary>
    /// <param name="id">The definition's id.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">The definition; <c>ETag</c> carries its version for <c>If-Match</c>.</response>
    /// <response code="404">No definition has this id.</response>
    [RequireScope(ApiKeyScopes.DefinitionsRead)]
    [HttpGet("{id:guid}")]
    [ProducesResponseType<AlertDefinitionResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Get(Guid id, CancellationToken cancellationToken)
    {
        var stored = await definitions.FindAsync(id, cancellationToken);
        if (stored is null)
        {
            return DefinitionNotFound(id);
        }

        SetETag(stored.Definition.Version);
        return Ok(stored.ToResponse());
    }

    /// <summary>Replaces an alert definition's metadata; its IOCs are kept.</summary>
    /// <param name="id">The definition's id.</param>
    /// <param name="request">The new metadata; fields left out are cleared or take their defaults.</param>
    /// <param name="ifMatch">The <c>ETag</c> read before; when given, the update fails with 412 if it is stale.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">Updated; <c>ETag</c> carries the new version.</response>
    /// <response code="400">A field is invalid; nothing was changed.</response>
    /// <response code="404">No definition has this id.</response>
    /// <response code="409">Another definition has this name.</response>
    /// <response code="412">The <c>If-Match</c> ETag is stale.</response>
    /// <response code="415">The body is not JSON.</response>
    [RequireScope(ApiKeyScopes.DefinitionsWrite)]
    [HttpPut("{id:guid}")]
    [Consumes("application/json")]
    [ProducesResponseType<AlertDefinitionResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<IActionResult> Update(
        Guid id,
        AlertDefinitionRequest request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        CancellationToken cancellationToken)
    {
        var result = await definitions.UpdateMetadataAsync(
            id, EntityTag.ExpectedVersion(ifMatch), request.ToMetadata(), cancellationToken);
        switch (result.Outcome)
        {
            case StoreOutcome.Succeeded:
                SetETag(result.Value!.Definition.Version);
                return Ok(result.Value.ToResponse());
            case StoreOutcome.Conflict:
                return NameTaken(result.ConflictingId!.Value, request.Name!.Trim());
            default:
                return FailedWrite(result.Outcome, DefinitionNotFoundDetail(id));
        }
    }

    /// <summary>Deletes an alert definition and all its IOCs.</summary>
    /// <param name="id">The definition's id.</param>
    /// <param name="ifMatch">The <c>ETag</c> read before; when given, the delete fails with 412 if it is stale.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="204">Deleted, with its IOCs.</response>
    /// <response code="404">No definition has this id.</response>
    /// <response code="412">The <c>If-Match</c> ETag is stale.</response>
    [RequireScope(ApiKeyScopes.DefinitionsWrite)]
    [HttpDelete("{id:guid}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    public async Task<IActionResult> Delete(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, CancellationToken cancellationToken)
    {
        var outcome = await definitions.DeleteAsync(id, EntityTag.ExpectedVersion(ifMatch), cancellationToken);
        return outcome == StoreOutcome.Succeeded ? NoContent() : FailedWrite(outcome, DefinitionNotFoundDetail(id));
    }

    private ObjectResult DefinitionNotFound(Guid id) => NotFoundProblem(DefinitionNotFoundDetail(id));

    private static string DefinitionNotFoundDetail(Guid id) => $"There is no alert definition with id {id}.";

    private ObjectResult NameTaken(Guid existingId, string name) => ConflictProblem(
        $"An alert definition named '{name}' already exists: {existingId}.",
        Url.Action(nameof(Get), new { id = existingId })!,
        existingId);
}
