using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.Options;
using ThreatIntel.Core.Matching;

namespace ThreatIntel.Api.Features.Matching;

/// <summary>
/// Makes a successful write of a <see cref="VisibleToMatchingAttribute"/> controller answer only once this instance's
/// index includes it, so that a client that adds (or deletes) an IOC and then submits an event sees the event matched
/// (or not) by what it just wrote, rather than by the index built before. Other instances sharing the database catch
/// up within their refresh interval.
/// </summary>
internal sealed partial class MatchingVisibilityFilter(
    MatchingRefreshSignal signal, IOptions<MatchingOptions> options, ILogger<MatchingVisibilityFilter> logger) : IAsyncActionFilter
{
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var executed = await next();
        var request = context.HttpContext.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || !Succeeded(executed)
            || options.Value.WriteVisibilityTimeoutSeconds == 0)
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

    private static bool Succeeded(ActionExecutedContext executed) =>
        executed.Exception is null
        && executed.Result is IStatusCodeActionResult result
        && (result.StatusCode ?? StatusCodes.Status200OK) is >= 200 and < 300;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Method} {Path} is stored but the matching index did not include it within {TimeoutSeconds} s; it will with the next rebuild")]
    private partial void LogNotVisibleYet(string method, string path, double timeoutSeconds);
}
