using Microsoft.Extensions.Options;

namespace ThreatIntel.Api.Http;

/// <summary>
/// Enforces the body size limit of the matched endpoint: at once when <c>Content-Length</c> says the body is too
/// large, and while reading when the body is chunked. Either way the request gets a 413 and nothing is written.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<RequestLimitsOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        var limit = metadata?.GetMetadata<FeedRequestBodyAttribute>() is not null ? options.Value.MaxFeedBodyBytes
            : metadata?.GetMetadata<BulkRequestBodyAttribute>() is not null ? options.Value.MaxBulkBodyBytes
            : options.Value.MaxBodyBytes;

        if (context.Request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        // A body with a Content-Length is never read past it (checked above); only a chunked one needs counting, and
        // leaving the others alone lets MVC read them straight from the server's pipe.
        if (context.Request.ContentLength is null)
        {
            context.Request.Body = new LengthLimitedStream(context.Request.Body, limit, () => TooLarge(limit));
        }

        return next(context);
    }

    private static BadHttpRequestException TooLarge(long limit) => new(
        $"The request body is larger than this endpoint's limit of {limit} bytes.",
        StatusCodes.Status413PayloadTooLarge);
}
