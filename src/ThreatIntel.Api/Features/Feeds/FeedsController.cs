using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using ThreatIntel.Api.Auth;
using ThreatIntel.Api.Features.Matching;
using ThreatIntel.Api.Http;
using ThreatIntel.Api.RateLimiting;
using ThreatIntel.Core.ApiKeys;
using ThreatIntel.Core.Feeds;
using ThreatIntel.Core.Feeds.Formats;
using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Api.Features.Feeds;

/// <summary>
/// Feeds: CI pipelines push their whole IOC content, idempotently. Everything a feed manages carries the feed's name
/// as its <c>source</c>; hand-made definitions are never touched by a feed.
/// </summary>
[Route("api/v1/feeds")]
[Tags("Feeds")]
[VisibleToMatching]
public sealed class FeedsController : ApiControllerBase
{
    /// <summary>Sync: afterwards the feed holds exactly what was pushed.</summary>
    /// <remarks>
    /// New definitions and IOCs are created, changed ones updated, unchanged ones left alone (same ids and timestamps),
    /// and anything the push no longer holds is removed. Pushing the same content again reports zero changes and writes
    /// nothing. The push is one transaction: matching switches to the new content only after it commits.
    /// By default one invalid row refuses the whole push with 422 listing every invalid row; <c>skipInvalid=true</c>
    /// applies the rest. <c>dryRun=true</c> returns the changes without writing.
    /// </remarks>
    /// <param name="feed">The feed's name: 1 to 100 letters, digits, '.', '_' or '-'.</param>
    /// <param name="parameters">dryRun, skipInvalid, and for plain lists the definition and its severity.</param>
    /// <param name="ifMatch">The feed's <c>ETag</c> read before; when given, the push fails with 412 if the feed was pushed since (or does not exist).</param>
    /// <param name="pushes">Reads and applies the push.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">What changed (or, for a dry run, would change), with any rows skipped; <c>ETag</c> carries the feed's version.</response>
    /// <response code="400">The feed name or a query parameter is invalid, or the body cannot be read as its format at all.</response>
    /// <response code="409">Another push to this feed, from another instance, was applied meanwhile; push again.</response>
    /// <response code="412">The <c>If-Match</c> ETag is stale, or there is no such feed.</response>
    /// <response code="413">The body is larger than RequestLimits:MaxFeedBodyBytes.</response>
    /// <response code="415">The Content-Type is not text/csv, application/json, application/stix+json or text/plain.</response>
    /// <response code="422">Some rows are invalid; nothing was written. The problem lists them.</response>
    [HttpPut("{feed}")]
    [RequireScope(ApiKeyScopes.FeedsWrite)]
    [RateLimitCategory(RateLimitCategory.Feeds)]
    [FeedRequestBody]
    [ProducesResponseType<FeedPushResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public Task<IActionResult> Sync(
        string feed,
        [FromQuery] FeedPushParameters parameters,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        [FromServices] FeedPushService pushes,
        CancellationToken cancellationToken) =>
        Push(feed, parameters, FeedPushMode.Sync, ifMatch, pushes, cancellationToken);

    /// <summary>Merge: creates and updates what was pushed, removes nothing.</summary>
    /// <remarks>Same formats, query and responses as the sync (PUT); definitions and IOCs the push leaves out stay.</remarks>
    /// <param name="feed">The feed's name.</param>
    /// <param name="parameters">dryRun, skipInvalid, and for plain lists the definition and its severity.</param>
    /// <param name="ifMatch">The feed's <c>ETag</c> read before; when given, the push fails with 412 if the feed was pushed since (or does not exist).</param>
    /// <param name="pushes">Reads and applies the push.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">What changed (or, for a dry run, would change), with any rows skipped; <c>ETag</c> carries the feed's version.</response>
    /// <response code="400">The feed name or a query parameter is invalid, or the body cannot be read as its format at all.</response>
    /// <response code="409">Another push to this feed, from another instance, was applied meanwhile; push again.</response>
    /// <response code="412">The <c>If-Match</c> ETag is stale, or there is no such feed.</response>
    /// <response code="413">The body is too large.</response>
    /// <response code="415">The Content-Type is not one of the four formats.</response>
    /// <response code="422">Some rows are invalid; nothing was written.</response>
    [HttpPost("{feed}")]
    [RequireScope(ApiKeyScopes.FeedsWrite)]
    [RateLimitCategory(RateLimitCategory.Feeds)]
    [FeedRequestBody]
    [ProducesResponseType<FeedPushResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public Task<IActionResult> Merge(
        string feed,
        [FromQuery] FeedPushParameters parameters,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        [FromServices] FeedPushService pushes,
        CancellationToken cancellationToken) =>
        Push(feed, parameters, FeedPushMode.Merge, ifMatch, pushes, cancellationToken);

    /// <summary>Lists the feeds with their counts and last push.</summary>
    /// <param name="parameters">Paging.</param>
    /// <param name="feeds">The feed store.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">The feeds, by name.</response>
    /// <response code="400">The paging parameters are invalid.</response>
    [HttpGet]
    [RequireScope(ApiKeyScopes.DefinitionsRead)]
    [ProducesResponseType<PagedResponse<FeedResponse>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<PagedResponse<FeedResponse>> List(
        [FromQuery] ListFeedsParameters parameters, [FromServices] IFeedRepository feeds, CancellationToken cancellationToken)
    {
        var all = await feeds.ListAsync(cancellationToken);
        return new PagedResponse<FeedResponse>
        {
            Items = [.. all.Skip((parameters.Page - 1) * parameters.PageSize).Take(parameters.PageSize).Select(ToResponse)],
            Page = parameters.Page,
            PageSize = parameters.PageSize,
            TotalCount = all.Count,
        };
    }

    /// <summary>One feed with its counts and last push.</summary>
    /// <param name="feed">The feed's name.</param>
    /// <param name="feeds">The feed store.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">The feed; <c>ETag</c> carries its version, which every push changes, for <c>If-Match</c>.</response>
    /// <response code="404">No feed has that name.</response>
    [HttpGet("{feed}")]
    [RequireScope(ApiKeyScopes.DefinitionsRead)]
    [ProducesResponseType<FeedResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Get(string feed, [FromServices] IFeedRepository feeds, CancellationToken cancellationToken)
    {
        if (await feeds.FindAsync(feed, cancellationToken) is not { } found)
        {
            return FeedNotFound(feed);
        }

        SetETag(found.Version);
        return Ok(ToResponse(found));
    }

    /// <summary>The feed's content in JSON, CSV or STIX 2.1, which pushed back to the feed changes nothing.</summary>
    /// <remarks>
    /// CSV keeps only each definition's name and severity and each IOC's type, value, action, description and expiry
    /// (definitions without IOCs and the enabled flag are not representable); JSON and STIX keep everything.
    /// </remarks>
    /// <param name="feed">The feed's name.</param>
    /// <param name="parameters">The format: json (default), csv or stix.</param>
    /// <param name="feeds">The feed store.</param>
    /// <param name="exporters">The format writers.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">The content, streamed.</response>
    /// <response code="400">The format is not json, csv or stix.</response>
    /// <response code="404">No feed has that name.</response>
    [HttpGet("{feed}/export")]
    [RequireScope(ApiKeyScopes.DefinitionsRead)]
    [ProducesResponseType(typeof(string), StatusCodes.Status200OK, FeedMediaTypes.Json, FeedMediaTypes.Csv, FeedMediaTypes.Stix)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Export(
        string feed,
        [FromQuery] ExportFeedParameters parameters,
        [FromServices] IFeedRepository feeds,
        [FromServices] IEnumerable<IFeedExporter> exporters,
        CancellationToken cancellationToken)
    {
        var format = (parameters.Format ?? "json").ToLowerInvariant() switch
        {
            "json" => FeedFormat.Json,
            "csv" => FeedFormat.Csv,
            "stix" => FeedFormat.Stix,
            _ => (FeedFormat?)null,
        };
        if (format is null)
        {
            ModelState.AddModelError("format", "format must be json, csv or stix.");
            return ValidationProblemResponse.Create(ControllerContext);
        }

        if (await feeds.FindAsync(feed, cancellationToken) is null)
        {
            return FeedNotFound(feed);
        }

        var exporter = exporters.Single(e => e.Format == format);
        var extension = format == FeedFormat.Stix ? "stix.json" : format.Value.ToString().ToLowerInvariant();
        Response.ContentType = exporter.ContentType;
        Response.Headers.ContentDisposition = $"attachment; filename=\"{feed}.{extension}\"";
        await exporter.WriteAsync(feed, feeds.ExportAsync(feed, cancellationToken), Response.Body, cancellationToken);
        return new EmptyResult();
    }

    /// <summary>Removes the feed with all of its definitions and IOCs.</summary>
    /// <param name="feed">The feed's name.</param>
    /// <param name="ifMatch">The feed's <c>ETag</c> read before; when given, the delete fails with 412 if the feed was pushed since.</param>
    /// <param name="feeds">The feed store.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="204">Removed.</response>
    /// <response code="404">No feed has that name.</response>
    /// <response code="412">The <c>If-Match</c> ETag is stale.</response>
    [HttpDelete("{feed}")]
    [RequireScope(ApiKeyScopes.FeedsWrite)]
    [RateLimitCategory(RateLimitCategory.Feeds)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    public async Task<IActionResult> Delete(
        string feed, [FromHeader(Name = "If-Match")] string? ifMatch, [FromServices] IFeedRepository feeds, CancellationToken cancellationToken)
    {
        var outcome = await feeds.DeleteAsync(feed, EntityTag.ExpectedVersion(ifMatch), cancellationToken);
        return outcome == StoreOutcome.Succeeded ? NoContent() : FailedWrite(outcome, $"There is no feed named '{feed}'.");
    }

    private async Task<IActionResult> Push(
        string feed,
        FeedPushParameters parameters,
        FeedPushMode mode,
        string? ifMatch,
        FeedPushService pushes,
        CancellationToken cancellationToken)
    {
        if (!FeedName.IsValid(feed))
        {
            ModelState.AddModelError("feed", $"The feed name must be {FeedName.Rule}.");
            return ValidationProblemResponse.Create(ControllerContext);
        }

        // Checked here rather than by [Consumes], whose 415 would not say which formats a feed takes.
        if (FeedMediaTypes.Parse(Request.ContentType) is not { } format)
        {
            return Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported Media Type",
                detail: $"A feed is pushed as {FeedMediaTypes.Csv}, {FeedMediaTypes.Json}, {FeedMediaTypes.Stix} or {FeedMediaTypes.PlainList}; the body was sent as '{Request.ContentType ?? "no Content-Type"}'.");
        }
        FeedPushResult result;
        try
        {
            result = await pushes.PushAsync(
                feed, format, Request.Body, parameters, mode, EntityTag.ExpectedVersion(ifMatch), !string.IsNullOrWhiteSpace(ifMatch), cancellationToken);
        }
        catch (FeedFormatException ex)
        {
            ModelState.AddModelError("body", ex.Message);
            return ValidationProblemResponse.Create(ControllerContext);
        }
        catch (FeedPushConflictException ex)
        {
            return Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: ex.Message);
        }
        catch (FeedVersionMismatchException ex)
        {
            return Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed", detail: ex.Message);
        }

        if (result.Version is { } version)
        {
            SetETag(version);
        }

        var response = ToResponse(result, parameters.DryRun);
        return result.Refused ? RejectedProblem(response) : Ok(response);
    }

    private ObjectResult RejectedProblem(FeedPushResponse response)
    {
        var problem = ProblemDetailsFactory.CreateProblemDetails(
            HttpContext,
            StatusCodes.Status422UnprocessableEntity,
            "Feed rejected",
            detail: $"{response.RejectedCount} row(s) of the push are invalid, so nothing was written. Fix them, or push with skipInvalid=true to apply the valid rows.");
        problem.Extensions["feed"] = response.Feed;
        problem.Extensions["rejectedCount"] = response.RejectedCount;
        problem.Extensions["rejected"] = response.Rejected;
        problem.Extensions["errors"] = response.Rejected
            .GroupBy(row => row.Location)
            .ToDictionary(group => group.Key, group => group.Select(row => row.Reason).ToArray());
        return new ObjectResult(problem) { StatusCode = StatusCodes.Status422UnprocessableEntity };
    }

    private ObjectResult FeedNotFound(string feed) => NotFoundProblem($"There is no feed named '{feed}'.");

    private static FeedPushResponse ToResponse(FeedPushResult result, bool dryRun)
    {
        var changes = result.Changes;
        return new FeedPushResponse(
            result.Feed,
            dryRun,
            result.Applied,
            changes.DefinitionsCreated,
            changes.DefinitionsUpdated,
            changes.DefinitionsRemoved,
            changes.DefinitionsUnchanged,
            changes.IocsCreated,
            changes.IocsUpdated,
            changes.IocsUnchanged,
            changes.IocsRemoved,
            result.RejectedCount,
            [.. result.Rejected.Select(ToResponse)]);
    }

    /// <summary>The row's location, with the line or array index it names also as a number for tools.</summary>
    private static FeedRowErrorResponse ToResponse(FeedRowError row)
    {
        var location = row.Location;
        int? line = location.StartsWith("line ", StringComparison.Ordinal)
            && int.TryParse(location.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
        int? index = null;
        var open = location.IndexOf('[', StringComparison.Ordinal);
        var close = open < 0 ? -1 : location.IndexOf(']', open);
        if (close > open + 1
            && int.TryParse(location.AsSpan(open + 1, close - open - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var position))
        {
            index = position;
        }

        return new FeedRowErrorResponse(location, line, index, row.Value, row.Reason);
    }

    private static FeedResponse ToResponse(FeedSummary feed) => new(
        feed.Name,
        feed.DefinitionCount,
        feed.IocCount,
        feed.CreatedAt,
        feed.CreatedBy,
        feed.LastPushAt,
        feed.LastPushBy,
        feed.LastPushSummary is null ? null : JsonSerializer.Deserialize<JsonElement>(feed.LastPushSummary));
}
