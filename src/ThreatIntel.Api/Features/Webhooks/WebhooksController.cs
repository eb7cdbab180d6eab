using Microsoft.AspNetCore.Mvc;
using ThreatIntel.Api.Auth;
using ThreatIntel.Api.Http;
using ThreatIntel.Core.ApiKeys;
using ThreatIntel.Core.Persistence;
using ThreatIntel.Core.Webhooks;

namespace ThreatIntel.Api.Features.Webhooks;

/// <summary>Webhooks: receivers that are sent every alert change they want, signed. Admin only.</summary>
[Route("api/v1/webhooks")]
[Tags("Webhooks")]
public sealed class WebhooksController(IWebhookRepository webhooks, WebhookTargetPolicy targetPolicy, TimeProvider timeProvider)
    : ApiControllerBase
{
    /// <summary>Lists webhooks (never their secrets), oldest first.</summary>
    /// <param name="parameters">The page.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">A page of webhooks.</response>
    /// <response code="400">The page is invalid.</response>
    [HttpGet]
    [RequireScope(ApiKeyScopes.Admin)]
    [ProducesResponseType<PagedResponse<WebhookResponse>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<PagedResponse<WebhookResponse>> List([FromQuery] ListWebhooksParameters parameters, CancellationToken cancellationToken)
    {
        var page = await webhooks.ListAsync(parameters.ToPageRequest(), cancellationToken);
        return page.ToResponse(webhook => webhook.ToResponse());
    }

    /// <summary>Creates a webhook. Its secret is in this response only: store it now.</summary>
    /// <param name="request">Where to send alert changes, the secret to sign them with, and which ones to send.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="201">Created; <c>secret</c> is what the receiver verifies signatures with.</response>
    /// <response code="400">A field is invalid, or the URL's host is (or resolves to) a private, loopback or link-local address.</response>
    /// <response code="415">The body is not JSON.</response>
    [HttpPost]
    [RequireScope(ApiKeyScopes.Admin)]
    [Consumes("application/json")]
    [ProducesResponseType<CreatedWebhookResponse>(StatusCodes.Status201Created, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<IActionResult> Create(WebhookRequest request, CancellationToken cancellationToken)
    {
        var settings = request.ToSettings();
        if (await RefusedTargetAsync(settings.Url, cancellationToken) is { } refused)
        {
            return refused;
        }

        var webhook = Webhook.Create(
            settings.Name, settings.Url, settings.Secret ?? WebhookSecret.Generate(), settings.MinimumSeverity,
            settings.AlertDefinitionIds, settings.Enabled, timeProvider.GetUtcNow().UtcDateTime);
        var stored = (await webhooks.AddAsync(webhook, cancellationToken)).Value!;
        SetETag(stored.Version);
        return CreatedAtAction(nameof(Get), new { id = stored.Id }, stored.ToCreatedResponse());
    }

    /// <summary>Reads one webhook (never its secret).</summary>
    /// <param name="id">The webhook's id.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">The webhook; <c>ETag</c> is its version for <c>If-Match</c>.</response>
    /// <response code="404">No webhook has this id.</response>
    [HttpGet("{id:guid}")]
    [RequireScope(ApiKeyScopes.Admin)]
    [ProducesResponseType<WebhookResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Get(Guid id, CancellationToken cancellationToken)
    {
        if (await webhooks.FindAsync(id, cancellationToken) is not { } webhook)
        {
            return NotFoundProblem(WebhookNotFoundDetail(id));
        }

        SetETag(webhook.Version);
        return Ok(webhook.ToResponse());
    }

    /// <summary>Replaces a webhook's settings; leaving <c>secret</c> out keeps the current one.</summary>
    /// <param name="id">The webhook's id.</param>
    /// <param name="request">The new settings.</param>
    /// <param name="ifMatch">The <c>ETag</c> read before; when given, the update fails with 412 if it is stale.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">Updated.</response>
    /// <response code="400">A field is invalid, or the URL's target is refused.</response>
    /// <response code="404">No webhook has this id.</response>
    /// <response code="412">The <c>If-Match</c> ETag is stale.</response>
    /// <response code="415">The body is not JSON.</response>
    [HttpPut("{id:guid}")]
    [RequireScope(ApiKeyScopes.Admin)]
    [Consumes("application/json")]
    [ProducesResponseType<WebhookResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<IActionResult> Update(
        Guid id, WebhookRequest request, [FromHeader(Name = "If-Match")] string? ifMatch, CancellationToken cancellationToken)
    {
        var settings = request.ToSettings();
        if (await RefusedTargetAsync(settings.Url, cancellationToken) is { } refused)
        {
            return refused;
        }

        var result = await webhooks.UpdateAsync(id, EntityTag.ExpectedVersion(ifMatch), settings, cancellationToken);
        if (result.Outcome != StoreOutcome.Succeeded)
        {
            return FailedWrite(result.Outcome, WebhookNotFoundDetail(id));
        }

        SetETag(result.Value!.Version);
        return Ok(result.Value.ToResponse());
    }

    /// <summary>Deletes a webhook and its deliveries; messages still pending are not sent.</summary>
    /// <param name="id">The webhook's id.</param>
    /// <param name="ifMatch">The <c>ETag</c> read before; when given, the delete fails with 412 if it is stale.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="204">Deleted.</response>
    /// <response code="404">No webhook has this id.</response>
    /// <response code="412">The <c>If-Match</c> ETag is stale.</response>
    [HttpDelete("{id:guid}")]
    [RequireScope(ApiKeyScopes.Admin)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    public async Task<IActionResult> Delete(Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, CancellationToken cancellationToken)
    {
        var outcome = await webhooks.DeleteAsync(id, EntityTag.ExpectedVersion(ifMatch), cancellationToken);
        return outcome == StoreOutcome.Succeeded ? NoContent() : FailedWrite(outcome, WebhookNotFoundDetail(id));
    }

    /// <summary>Lists a webhook's deliveries, newest first, with every attempt made for each.</summary>
    /// <param name="id">The webhook's id.</param>
    /// <param name="parameters">The status to filter by, and the page.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">A page of deliveries.</response>
    /// <response code="400">The status or the page is invalid.</response>
    /// <response code="404">No webhook has this id.</response>
    [HttpGet("{id:guid}/deliveries")]
    [RequireScope(ApiKeyScopes.Admin)]
    [ProducesResponseType<PagedResponse<WebhookDeliveryResponse>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> ListDeliveries(
        Guid id, [FromQuery] ListWebhookDeliveriesParameters parameters, CancellationToken cancellationToken)
    {
        if (await webhooks.FindAsync(id, cancellationToken) is null)
        {
            return NotFoundProblem(WebhookNotFoundDetail(id));
        }

        var page = await webhooks.ListDeliveriesAsync(id, parameters.Status, parameters.ToPageRequest(), cancellationToken);
        return Ok(page.ToResponse(delivery => delivery.ToResponse()));
    }

    /// <summary>A 400 naming <c>url</c> when its host is, or resolves to, an address the target policy refuses.</summary>
    private async Task<IActionResult?> RefusedTargetAsync(string url, CancellationToken cancellationToken)
    {
        if (await targetPolicy.CheckAsync(url, cancellationToken) is not { } reason)
        {
            return null;
        }

        ModelState.AddModelError("url", reason);
        return ValidationProblemResponse.Create(ControllerContext);
    }

    private static string WebhookNotFoundDetail(Guid id) => $"There is no webhook with id {id}.";
}
