using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;
using ThreatIntel.Core.ApiKeys;
using ThreatIntel.Core.Auditing;

namespace ThreatIntel.Api.Auth;

internal static class AuthSetup
{
    /// <summary>
    /// API key authentication and one authorization policy per scope. Every controller demands a valid key
    /// (<see cref="Http.ApiControllerBase"/> is <c>[Authorize]</c>) and each action names its scope; health checks and
    /// Swagger UI stay open, and an unknown route stays a 404 for everyone.
    /// </summary>
    public static IServiceCollection AddThreatIntelAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(serviceProvider => new ApiKeyCache(
            TimeSpan.FromSeconds(serviceProvider.GetRequiredService<IOptions<AuthOptions>>().Value.KeyCacheSeconds),
            serviceProvider.GetRequiredService<TimeProvider>()));
        services.AddHttpContextAccessor();
        services.AddSingleton<ICurrentActor, HttpCurrentActor>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(
                ApiKeyAuthenticationHandler.SchemeName, configureOptions: null);
        services.AddSingleton<IAuthorizationHandler, ScopeAuthorizationHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddAuthorizationBuilder().AddScopePolicies();
        return services;
    }

    private static AuthorizationBuilder AddScopePolicies(this AuthorizationBuilder builder)
    {
        foreach (var scope in ApiKeyScopes.All)
        {
            builder.AddPolicy(scope, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .AddRequirements(new ScopeRequirement(scope)));
        }

        return builder;
    }
}
