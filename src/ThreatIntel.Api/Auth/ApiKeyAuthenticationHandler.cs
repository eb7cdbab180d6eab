using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ThreatIntel.Core.ApiKeys;

namespace ThreatIntel.Api.Auth;

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header against the stored keys. The key is looked up by its prefix and
/// compared by hash in constant time, then remembered for <c>Auth:KeyCacheSeconds</c> (<see cref="ApiKeyCache"/>):
/// a revocation through this instance takes effect on the next request, through another instance within that time.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyCache cache,
    TimeProvider timeProvider,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string ScopeClaim = "scope";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers[HeaderName];
        if (presented.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }

        var secret = presented.Count == 1 ? presented[0]?.Trim() : null;
        if (!ApiKeySecret.HasValidShape(secret))
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        var key = await FindAsync(secret!);
        var now = timeProvider.GetUtcNow().UtcDateTime;
        if (key is null)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        if (key.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("The API key has been revoked.");
        }

        if (!key.IsActive(now))
        {
            return AuthenticateResult.Fail("The API key has expired.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, key.Name),
            new(ClaimTypes.NameIdentifier, key.Id.ToString()),
        };
        claims.AddRange(key.Scopes.Select(scope => new Claim(ScopeClaim, scope)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private async Task<ApiKey?> FindAsync(string secret)
    {
        var secretHash = ApiKeySecret.Hash(secret);
        if (cache.TryGet(secretHash, out var cached))
        {
            return cached;
        }

        // Resolved only now: a cached key needs no repository, nor the database context it would bring with it.
        var keys = Context.RequestServices.GetRequiredService<IApiKeyRepository>();
        var candidates = await keys.FindByPrefixAsync(ApiKeySecret.PrefixOf(secret), Context.RequestAborted);
        var key = candidates.FirstOrDefault(candidate => ApiKeySecret.Matches(secret, candidate.SecretHash));
        if (key is not null)
        {
            cache.Add(secretHash, key);
        }

        return key;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = result.Failure?.Message
                    ?? $"This endpoint needs an API key in the {HeaderName} header.",
            },
        });
    }
}
