using ThreatIntel.Core.Feeds;
using ThreatIntel.Core.Feeds.Formats;

namespace ThreatIntel.Api.Features.Feeds;

internal static class FeedsSetup
{
    public static IServiceCollection AddThreatIntelFeeds(this IServiceCollection services)
    {
        services.AddSingleton<IFeedParser, JsonFeedParser>();
        services.AddSingleton<IFeedParser, CsvFeedParser>();
        services.AddSingleton<IFeedParser, StixFeedParser>();
        services.AddSingleton<IFeedParser, PlainListFeedParser>();
        services.AddSingleton<IFeedExporter, JsonFeedExporter>();
        services.AddSingleton<IFeedExporter, CsvFeedExporter>();
        services.AddSingleton<IFeedExporter>(serviceProvider => new StixFeedExporter(serviceProvider.GetRequiredService<TimeProvider>()));
        services.AddScoped<FeedPushService>();
        return services;
    }
}
