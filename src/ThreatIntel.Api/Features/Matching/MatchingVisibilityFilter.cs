using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;
using ThreatIntel.Core.Matching;

namespace ThreatIntel.Api.Features.Matching;

/// <summary>
/// Makes a request of a <see cref="VisibleToMatchingAttribute"/> controller that changed what the index holds answer
/// only once this instance's index includes the change, so that a client that adds (or deletes) an IOC and then submits
/// an event sees the event matched (or not) by what it just wrote, rather than by the index built before. Requests that
/// change nothing there (reads, dry runs, a re-push of an unchanged feed, refused writes) answer at once. Other
/// instances sharing the database catch up within their refresh interval.
/// </summary>
internal sealed partial class MatchingVisibilityFilter(
    MatchingRefreshSignal signal, IOptions<MatchingOptions> options, ILogger<MatchingVisibilityFilter> logger) : IAsyncActionFilter
{
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var request = context.HttpContext.Request;

        // Reads change nothing, and IOC look-ups are a hot path: they skip the tracking.
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            await next();
            return;
        }

        var tracking = signal.TrackChanges();
        await next();
        if (!tracking.ContentChanged || options.Value.WriteVisibilityTimeoutSeconds == 0)
        {
            return;
        }

        var timeout = TimeSpan.FromSeconds(options.Value.WriteVisibilityTimeoutSeconds);
        try
        {
            if (!await signal.WaitForRefreshAsync(timeout, context.HttpContext.RequestAborted))
            {
                LogNotVisibleYet(request.Method, request.Path, timeout.TotalSeconds);
            }
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The client left; its write is stored and the index includes it with the rebuild under way.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Method} {Path} is stored but the matching index did not include it within {TimeoutSeconds} s; it will with the next rebuild")]
    private partial void LogNotVisibleYet(string method, string path, double timeoutSeconds);
}
