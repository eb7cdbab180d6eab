using Microsoft.AspNetCore.Mvc;
using ThreatIntel.Api.Auth;
using ThreatIntel.Api.Http;
using ThreatIntel.Core.ApiKeys;
using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Api.Features.ApiKeys;

/// <summary>API keys: who may call the service and what they may do. Admin only.</summary>
[Route("api/v1/api-keys")]
[Tags("API keys")]
public sealed class ApiKeysController(IApiKeyRepository keys, TimeProvider timeProvider) : ApiControllerBase
{
    /// <summary>Lists API keys (never their secrets), oldest first.</summary>
    /// <param name="parameters">The page.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">A page of keys.</response>
    /// <response code="400">The page is invalid.</response>
    [HttpGet]
    [RequireScope(ApiKeyScopes.Admin)]
    [ProducesResponseType<PagedResponse<ApiKeyResponse>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<PagedResponse<ApiKeyResponse>> List([FromQuery] ListApiKeysParameters parameters, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var page = await keys.ListAsync(parameters.ToPageRequest(), cancellationToken);
        return page.ToResponse(key => key.ToResponse(now));
    }

    /// <summary>Creates an API key. Its secret is in this response only: store it now.</summary>
    /// <param name="request">The key's name, scopes and expiry.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="201">Created; <c>key</c> holds the secret for the <c>X-Api-Key</c> header.</response>
    /// <response code="400">A field is invalid (an unknown scope, a past expiry, ...).</response>
    /// <response code="409">Another key has this name.</response>
    /// <response code="415">The body is not JSON.</response>
    [HttpPost]
    [RequireScope(ApiKeyScopes.Admin)]
    [Consumes("application/json")]
    [ProducesResponseType<CreatedApiKeyResponse>(StatusCodes.Status201Created, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<IActionResult> Create(CreateApiKeyRequest request, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var secret = ApiKeySecret.Generate();
        var key = ApiKey.Create(request.Name!, secret, request.Scopes!, request.ExpiresAt?.UtcDateTime, now);
        var result = await keys.AddAsync(key, cancellationToken);
        if (result.Outcome == StoreOutcome.Conflict)
        {
            return ConflictProblem(
                $"An API key named '{key.Name}' already exists: {result.ConflictingId}.",
                Url.Action(nameof(Get), new { id = result.ConflictingId })!,
                result.ConflictingId!.Value);
        }

        return CreatedAtAction(nameof(Get), new { id = key.Id }, result.Value!.ToCreatedResponse(secret, now));
    }

    /// <summary>Reads one API key (never its secret).</summary>
    /// <param name="id">The key's id.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">The key.</response>
    /// <response code="404">No key has this id.</response>
    [HttpGet("{id:guid}")]
    [RequireScope(ApiKeyScopes.Admin)]
    [ProducesResponseType<ApiKeyResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Get(Guid id, CancellationToken cancellationToken)
    {
        var key = await keys.FindAsync(id, cancellationToken);
        return key is null ? NotFoundProblem(KeyNotFoundDetail(id)) : Ok(key.ToResponse(timeProvider.GetUtcNow().UtcDateTime));
    }

    /// <summary>
    /// Revokes an API key: it stops working at once on this instance, and within <c>Auth:KeyCacheSeconds</c> (2 s) on
    /// other instances sharing the database. The record stays for the audit.
    /// </summary>
    /// <param name="id">The key's id.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="204">Revoked.</response>
    /// <response code="404">No key has this id.</response>
    [HttpDelete("{id:guid}")]
    [RequireScope(ApiKeyScopes.Admin)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Revoke(Guid id, CancellationToken cancellationToken)
    {
        var result = await keys.RevokeAsync(id, cancellationToken);
        return result.Outcome == StoreOutcome.Succeeded ? NoContent() : NotFoundProblem(KeyNotFoundDetail(id));
    }

    private static string KeyNotFoundDetail(Guid id) => $"There is no API key with id {id}.";
}

/// <summary>The page of the API key list.</summary>
public sealed class ListApiKeysParameters : PagingParameters;
