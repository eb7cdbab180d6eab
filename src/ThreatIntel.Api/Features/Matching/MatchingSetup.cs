using ThreatIntel.Api.Health;
using ThreatIntel.Core.Matching;

namespace ThreatIntel.Api.Features.Matching;

internal static class MatchingSetup
{
    public static IServiceCollection AddThreatIntelMatching(this IServiceCollection services)
    {
        services.AddOptions<MatchingOptions>()
            .BindConfiguration(MatchingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<MatchingIndexHolder>();
        services.AddSingleton<MatchingVisibilityFilter>();
        services.AddHostedService<MatchingIndexService>();
        services.AddScoped<Events.EventEvaluator>();
        services.AddHealthChecks().AddCheck<MatchingIndexHealthCheck>("matching-index", tags: [HealthChecksSetup.ReadyTag]);
        return services;
    }
}
