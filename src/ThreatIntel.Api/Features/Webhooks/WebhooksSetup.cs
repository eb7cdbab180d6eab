using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using ThreatIntel.Core.Webhooks;

namespace ThreatIntel.Api.Features.Webhooks;

internal static class WebhooksSetup
{
    public static IServiceCollection AddThreatIntelWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(
                webhooks => webhooks.AllowedNetworksAreValid(),
                $"{WebhookTargetPolicy.AllowListSetting} must hold networks in CIDR notation, such as 10.20.0.0/16 or fd00::/8.")
            .ValidateOnStart();
        services.AddSingleton<IWebhookHostResolver, DnsWebhookHostResolver>();
        services.AddSingleton(serviceProvider => new WebhookTargetPolicy(
            serviceProvider.GetRequiredService<IOptions<WebhookOptions>>().Value.ParsedAllowedNetworks(),
            serviceProvider.GetRequiredService<IWebhookHostResolver>()));
        services.AddSingleton<WebhookTargetConnector>();
        services.AddTransient<WebhookSigningHandler>();

        var client = services.AddHttpClient(WebhookDispatcher.HttpClientName)
            .ConfigureHttpClient((serviceProvider, httpClient) =>
            {
                // A round never outlasts its lease, so no other dispatcher takes the delivery over while it is being sent.
                httpClient.Timeout = TimeSpan.FromSeconds(serviceProvider.GetRequiredService<IOptions<WebhookOptions>>().Value.LeaseSeconds);
            })
            .ConfigurePrimaryHttpMessageHandler(serviceProvider => new SocketsHttpHandler
            {
                ConnectCallback = serviceProvider.GetRequiredService<WebhookTargetConnector>().ConnectAsync,

                // A proxy would be what the connect callback checks, not the receiver; a redirect is a failed attempt
                // rather than a way round the target policy.
                UseProxy = false,
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });

        // The signing handler is added after the resilience handler, which puts it inside: it runs once per attempt.
        client.AddResilienceHandler("webhook-retries", (pipeline, context) =>
            {
                var webhooks = context.ServiceProvider.GetRequiredService<IOptions<WebhookOptions>>().Value;
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = webhooks.RetryAttempts,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(webhooks.RetryBaseDelayMilliseconds),

                    // A receiver's Retry-After could hold the round (and its lease) for hours; rounds do the long waits.
                    ShouldRetryAfterHeader = false,
                    // Quick retries are for what a moment may fix (5xx, 408, 429, connection errors, timeouts); any
                    // other refusal ends the round, and a refused target would be refused again.
                    ShouldHandle = arguments => ValueTask.FromResult(
                        arguments.Outcome.Exception?.InnerException is not WebhookTargetRefusedException
                        && HttpClientResiliencePredicates.IsTransient(arguments.Outcome)),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(webhooks.RequestTimeoutSeconds));
            });
        client.AddHttpMessageHandler<WebhookSigningHandler>();

        services.AddHostedService<WebhookDispatcher>();
        return services;
    }
}
