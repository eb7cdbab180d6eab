using ThreatIntel.Core.Auditing;

namespace ThreatIntel.Api.Auth;

/// <summary>The name of the API key of the current request; the system outside requests.</summary>
internal sealed class HttpCurrentActor(IHttpContextAccessor httpContextAccessor) : ICurrentActor
{
    public string Name => httpContextAccessor.HttpContext?.User.Identity?.Name ?? ICurrentActor.System;
}
