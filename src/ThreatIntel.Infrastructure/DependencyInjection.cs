using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Alerts;
using ThreatIntel.Core.ApiKeys;
using ThreatIntel.Core.Auditing;
using ThreatIntel.Core.Feeds;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Matching;
using ThreatIntel.Core.Persistence;
using ThreatIntel.Core.Webhooks;
using ThreatIntel.Infrastructure.Alerts;
using ThreatIntel.Infrastructure.Auditing;
using ThreatIntel.Infrastructure.Feeds;
using ThreatIntel.Infrastructure.Matching;
using ThreatIntel.Infrastructure.Persistence;
using ThreatIntel.Infrastructure.Persistence.Repositories;
using ThreatIntel.Infrastructure.Retention;
using ThreatIntel.Infrastructure.Webhooks;

namespace ThreatIntel.Infrastructure;

public static class DependencyInjection
{
    /// <summary>
    /// Registers the database chosen by <c>Database:Provider</c> and <c>ConnectionStrings:ThreatIntel</c>, and the
    /// repositories. A relative SQLite file is placed under <paramref name="contentRootPath"/> so the service finds
    /// the same database wherever it is started from.
    /// </summary>
    public static IServiceCollection AddThreatIntelPersistence(this IServiceCollection services, string contentRootPath)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName);
        services.AddSingleton(serviceProvider => DatabaseConnection.Resolve(
            serviceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider,
            serviceProvider.GetRequiredService<IConfiguration>().GetConnectionString(DatabaseOptions.ConnectionStringName),
            contentRootPath));
        // Pooled, with options built once: creating a context with its options cost more than a request that matches
        // nothing. So the interceptors are singletons too, reading the actor per call.
        services.AddDbContextPool<ThreatIntelDbContext>((serviceProvider, builder) =>
        {
            serviceProvider.GetRequiredService<DatabaseConnection>().Configure(builder);
            builder.AddInterceptors(
                serviceProvider.GetRequiredService<AuditInterceptor>(),
                serviceProvider.GetRequiredService<MatchingChangeInterceptor>());
        });
        services.AddSingleton<AuditInterceptor>();
        services.AddSingleton<MatchingChangeInterceptor>();
        services.AddScoped<IMatchableIocSource, MatchableIocSource>();
        services.TryAddSingleton<MatchingRefreshSignal>();
        services.TryAddSingleton<IMatchingChangeNotifier>(serviceProvider => serviceProvider.GetRequiredService<MatchingRefreshSignal>());
        services.TryAddSingleton<ICurrentActor, SystemActor>();
        services.AddScoped<IAlertDefinitionRepository, AlertDefinitionRepository>();
        services.AddScoped<IIocRepository, IocRepository>();
        services.AddSingleton<SqliteIocLookup>();
        services.AddScoped<IApiKeyRepository, ApiKeyRepository>();

        // The host replaces this with a cache of the configured lifetime; without one every request asks the database.
        services.TryAddSingleton(serviceProvider => new ApiKeyCache(TimeSpan.Zero, serviceProvider.GetRequiredService<TimeProvider>()));
        services.AddScoped<IAuditLog, AuditLog>();
        services.AddScoped<IAlertRepository, AlertRepository>();
        services.AddScoped<AlertChangeOutbox>();
        services.AddScoped<IAlertChangeLog, AlertChangeLog>();
        services.TryAddSingleton<AlertChangeBell>();
        services.TryAddSingleton<AlertGroupCommit>();
        services.AddScoped<IWebhookRepository, WebhookRepository>();
        services.AddScoped<IHistoryRetention, HistoryRetention>();
        services.AddScoped<IFeedRepository, FeedRepository>();
        services.TryAddSingleton<FeedPushLocks>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
