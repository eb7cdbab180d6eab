using ThreatIntel.Core.Auditing;

namespace ThreatIntel.Infrastructure.Auditing;

/// <summary>The actor of changes made outside a request: start-up and background work.</summary>
internal sealed class SystemActor : ICurrentActor
{
    public string Name => ICurrentActor.System;
}
