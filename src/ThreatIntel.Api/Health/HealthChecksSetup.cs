using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Api.Health;

internal static class HealthChecksSetup
{
    public const string ReadyTag = "ready";

    /// <summary>Where the probes are: their 503 is a state they report, not a failure of the request.</summary>
    public const string PathPrefix = "/health";

    private const string LivePath = PathPrefix + "/live";
    private const string ReadyPath = PathPrefix + "/ready";

    public static IServiceCollection AddThreatIntelHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddDbContextCheck<ThreatIntelDbContext>("database", tags: [ReadyTag]);
        return services;
    }

    /// <summary>
    /// <c>/health/live</c> says the process answers (no dependency is checked, so an orchestrator never restarts
    /// it for a database outage); <c>/health/ready</c> says it can serve, database included.
    /// </summary>
    public static WebApplication MapThreatIntelHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJson })
            .AllowAnonymous();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteJson,
            // Degraded means "not yet" (the first matching index is being built): not ready to serve either.
            ResultStatusCodes = { [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable },
        }).AllowAnonymous();
        return app;
    }

    private static Task WriteJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            totalDurationMs = report.TotalDuration.TotalMilliseconds,
            checks = report.Entries.Select(entry => new
            {
                name = entry.Key,
                status = entry.Value.Status.ToString(),
                description = entry.Value.Description ?? entry.Value.Exception?.Message,
                durationMs = entry.Value.Duration.TotalMilliseconds,
            }),
        }, cancellationToken: context.RequestAborted);
    }
}
