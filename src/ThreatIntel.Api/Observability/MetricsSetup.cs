using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace ThreatIntel.Api.Observability;

/// <summary>
/// OpenTelemetry metrics, exported in Prometheus text format: the service's own instruments plus the meters ASP.NET
/// Core and .NET publish themselves, so no instrumentation package is needed.
/// </summary>
internal static class MetricsSetup
{
    private static readonly string[] Meters =
    [
        ThreatIntelMetrics.MeterName,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "System.Net.Http",
    ];

    public static IServiceCollection AddThreatIntelMetrics(this IServiceCollection services)
    {
        services.AddOptions<MetricsOptions>()
            .BindConfiguration(MetricsOptions.SectionName)
            .Validate(options => options.Path.StartsWith('/'), "Metrics:Path must start with '/'.")
            .ValidateOnStart();
        services.AddSingleton<ThreatIntelMetrics>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ThreatIntelMetrics.MeterName))

            // The exporter may answer from a cache (300 ms by default); collecting afresh per scrape costs little at
            // Prometheus's intervals and means a scrape never shows values older than the request before it.
            .WithMetrics(metrics => metrics.AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0));
        services.ConfigureOpenTelemetryMeterProvider((provider, metrics) =>
        {
            // Without a subscribed meter the instruments have no listener, so recording costs next to nothing.
            if (provider.GetRequiredService<IOptions<MetricsOptions>>().Value.Enabled)
            {
                metrics.AddMeter(Meters);
            }
        });
        return services;
    }

    /// <summary>
    /// The scraping endpoint, open without an API key (Prometheus sends none and the numbers hold no IOC data) and
    /// outside the rate limits, so that monitoring keeps working while clients are being throttled.
    /// </summary>
    public static WebApplication MapThreatIntelMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (options.Enabled)
        {
            app.MapPrometheusScrapingEndpoint(options.Path)
                .AllowAnonymous()
                .DisableRateLimiting()
                .ExcludeFromDescription();
        }

        return app;
    }
}
