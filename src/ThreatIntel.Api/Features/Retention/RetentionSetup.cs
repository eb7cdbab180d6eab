namespace ThreatIntel.Api.Features.Retention;

internal static class RetentionSetup
{
    public static IServiceCollection AddThreatIntelRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>()
            .BindConfiguration(RetentionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHostedService<HistoryRetentionService>();
        return services;
    }
}
