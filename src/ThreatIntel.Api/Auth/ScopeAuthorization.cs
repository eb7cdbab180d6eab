using Microsoft.AspNetCore.Authorization;
using ThreatIntel.Core.ApiKeys;

namespace ThreatIntel.Api.Auth;

/// <summary>Declares the scope an endpoint needs; a key holding <c>admin</c> passes every scope.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RequireScopeAttribute(string scope) : AuthorizeAttribute(scope)
{
    /// <summary>The scope the API key must hold.</summary>
    public string Scope { get; } = scope;
}

internal sealed record ScopeRequirement(string Scope) : IAuthorizationRequirement;

internal sealed class ScopeAuthorizationHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        var granted = context.User.FindAll(ApiKeyAuthenticationHandler.ScopeClaim).Select(claim => claim.Value);
        if (ApiKeyScopes.Allows(granted, requirement.Scope))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
