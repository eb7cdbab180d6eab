using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ThreatIntel.Api.RateLimiting;

/// <summary>
/// Per-key budgets for reads, writes, feed pushes and event evaluation. A caller over its budget gets 429 with
/// <c>Retry-After</c>; other keys are unaffected because each key (or, before authentication, each client address)
/// has its own partition.
/// </summary>
internal static class RateLimitingSetup
{
    public static IServiceCollection AddThreatIntelRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitingOptions>()
            .BindConfiguration(RateLimitingOptions.SectionName)
            .Validate(options => Enum.GetValues<RateLimitCategory>().All(c => IsValid(options.For(c))),
                "Every RateLimiting budget needs a PermitLimit of at least 1 and WindowSeconds from 1 to 86400.")
            .ValidateOnStart();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(Partition);
            options.OnRejected = WriteRejectionAsync;
        });
        return services;
    }

    private static bool IsValid(RateLimitBudget budget) => budget.PermitLimit >= 1 && budget.WindowSeconds is >= 1 and <= 86_400;

    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            // Health probes, Swagger UI and unknown routes are not API work and must keep answering.
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        var category = endpoint.Metadata.GetMetadata<RateLimitCategoryAttribute>()?.Category
            ?? (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                ? RateLimitCategory.Reads
                : RateLimitCategory.Writes);
        var caller = context.User.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? "address:" + context.Connection.RemoteIpAddress;
        var budget = context.RequestServices.GetRequiredService<IOptions<RateLimitingOptions>>().Value.For(category);
        return RateLimitPartition.GetFixedWindowLimiter($"{category}:{caller}", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = budget.PermitLimit,
            Window = TimeSpan.FromSeconds(budget.WindowSeconds),
            QueueLimit = 0,
        });
    }

    private static async ValueTask WriteRejectionAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
            : 1;
        var http = context.HttpContext;
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This API key has used its request budget for now; retry after {retryAfter} s.",
            },
        });
    }
}
