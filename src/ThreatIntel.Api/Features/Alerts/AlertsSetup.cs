namespace ThreatIntel.Api.Features.Alerts;

internal static class AlertsSetup
{
    public static IServiceCollection AddThreatIntelAlertStream(this IServiceCollection services)
    {
        services.AddOptions<AlertStreamOptions>()
            .BindConfiguration(AlertStreamOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<AlertStreamSlots>();
        services.AddScoped<AlertStream>();
        return services;
    }
}
