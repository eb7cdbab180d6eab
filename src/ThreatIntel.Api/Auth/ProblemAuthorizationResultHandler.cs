using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace ThreatIntel.Api.Auth;

/// <summary>Answers a valid key that lacks a scope with a 403 problem naming the scope it needs.</summary>
internal sealed class ProblemAuthorizationResultHandler(IProblemDetailsService problemDetails) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(
        RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var missing = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>()
            .Select(requirement => requirement.Scope)
            .ToList() ?? [];
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Forbidden",
                Detail = missing.Count == 0
                    ? "This API key may not use this endpoint."
                    : $"This API key lacks the scope this endpoint needs: {string.Join(", ", missing)}.",
            },
        });
    }
}
