using Microsoft.Extensions.Diagnostics.HealthChecks;
using ThreatIntel.Core.Matching;

namespace ThreatIntel.Api.Features.Matching;

/// <summary>Ready only once the first matching index is built, so no event is evaluated against nothing.</summary>
internal sealed class MatchingIndexHealthCheck(MatchingIndexHolder holder) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(holder.Current is { } current
            ? HealthCheckResult.Healthy($"Index version {current.Index.Version} holds {current.Index.Count} IOCs.")
            : HealthCheckResult.Unhealthy("The matching index is not built yet."));
}
