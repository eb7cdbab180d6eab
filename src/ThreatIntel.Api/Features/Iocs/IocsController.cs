using Microsoft.AspNetCore.Mvc;
using ThreatIntel.Api.Auth;
using ThreatIntel.Api.Features.Matching;
using ThreatIntel.Api.Http;
using ThreatIntel.Core.ApiKeys;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Api.Features.Iocs;

/// <summary>IOCs: indicators of compromise, each held by one alert definition.</summary>
[Route("api/v1/iocs")]
[Tags("IOCs")]
[VisibleToMatching]
public sealed class IocsController(IIocRepository iocs) : ApiControllerBase
{
    /// <summary>Looks a value up across all alert definitions, or lists IOCs by type and action.</summary>
    /// <remarks>
    /// The value is normalised for the type before it is compared, so <c>92CFCEB3...</c> finds the stored
    /// <c>92cfceb3...</c>, <c>Evil.COM.</c> finds <c>evil.com</c> and <c>CMD.EXE</c> finds a FileName <c>cmd.exe</c>.
    /// This is an exact look-up of stored IOCs, not matching (a sub-domain does not find an <c>EndsWith</c> IOC).
    /// </remarks>
    /// <param name="parameters">The type, the value, an optional action and the page.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">A page of IOCs, possibly empty.</response>
    /// <response code="400">The type is missing for a value, or the value is not valid for the type.</response>
    [RequireScope(ApiKeyScopes.DefinitionsRead)]
    [HttpGet]
    [ProducesResponseType<PagedResponse<IocResponse>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<PagedResponse<IocResponse>> Search(
        [FromQuery] LookupIocsParameters parameters, CancellationToken cancellationToken)
    {
        var keys = string.IsNullOrWhiteSpace(parameters.Value)
            ? null
            : IocMapping.LookupKeys(parameters.Type!.Value, parameters.Action, parameters.Value);
        var search = new IocSearch(parameters.Type, parameters.Action, keys, parameters.ToPageRequest());
        var page = await iocs.SearchAsync(search, cancellationToken);
        return page.ToResponse(ioc => ioc.ToResponse());
    }

    /// <summary>Reads one IOC.</summary>
    /// <param name="id">The IOC's id.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">The IOC; <c>ETag</c> carries its version for <c>If-Match</c>.</response>
    /// <response code="404">No IOC has this id.</response>
    [RequireScope(ApiKeyScopes.DefinitionsRead)]
    [HttpGet("{id:guid}")]
    [ProducesResponseType<IocResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Get(Guid id, CancellationToken cancellationToken)
    {
        var ioc = await iocs.FindAsync(id, cancellationToken);
        if (ioc is null)
        {
            return NotFoundProblem(IocNotFoundDetail(id));
        }

        SetETag(ioc.Version);
        return Ok(ioc.ToResponse());
    }

    /// <summary>Replaces an IOC; it stays in its alert definition.</summary>
    /// <param name="id">The IOC's id.</param>
    /// <param name="request">The new type, value, action and details.</param>
    /// <param name="ifMatch">The <c>ETag</c> read before; when given, the update fails with 412 if it is stale.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">Updated; <c>ETag</c> carries the new version.</response>
    /// <response code="400">A field is invalid; nothing was changed.</response>
    /// <response code="404">No IOC has this id.</response>
    /// <response code="409">The definition already holds another IOC with this type, action and value.</response>
    /// <response code="412">The <c>If-Match</c> ETag is stale.</response>
    /// <response code="415">The body is not JSON.</response>
    [RequireScope(ApiKeyScopes.DefinitionsWrite)]
    [HttpPut("{id:guid}")]
    [Consumes("application/json")]
    [ProducesResponseType<IocResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<IActionResult> Update(
        Guid id, IocRequest request, [FromHeader(Name = "If-Match")] string? ifMatch, CancellationToken cancellationToken)
    {
        var result = await iocs.UpdateAsync(id, EntityTag.ExpectedVersion(ifMatch), request.ToSpecification(), cancellationToken);
        switch (result.Outcome)
        {
            case StoreOutcome.Succeeded:
                SetETag(result.Value!.Version);
                return Ok(result.Value.ToResponse());
            case StoreOutcome.Conflict:
                return ConflictProblem(
                    $"The alert definition already holds an IOC with the same type, action and value: {result.ConflictingId}.",
                    Url.Action(nameof(Get), new { id = result.ConflictingId })!,
                    result.ConflictingId!.Value);
            default:
                return FailedWrite(result.Outcome, IocNotFoundDetail(id));
        }
    }

    /// <summary>Deletes one IOC.</summary>
    /// <param name="id">The IOC's id.</param>
    /// <param name="ifMatch">The <c>ETag</c> read before; when given, the delete fails with 412 if it is stale.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="204">Deleted.</response>
    /// <response code="404">No IOC has this id.</response>
    /// <response code="412">The <c>If-Match</c> ETag is stale.</response>
    [RequireScope(ApiKeyScopes.DefinitionsWrite)]
    [HttpDelete("{id:guid}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    public async Task<IActionResult> Delete(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, CancellationToken cancellationToken)
    {
        var outcome = await iocs.DeleteAsync(id, EntityTag.ExpectedVersion(ifMatch), cancellationToken);
        return outcome == StoreOutcome.Succeeded ? NoContent() : FailedWrite(outcome, IocNotFoundDetail(id));
    }

    private static string IocNotFoundDetail(Guid id) => $"There is no IOC with id {id}.";
}
