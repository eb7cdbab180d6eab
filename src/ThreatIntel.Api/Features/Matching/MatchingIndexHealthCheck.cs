using Microsoft.Extensions.Diagnostics.HealthChecks;
using ThreatIntel.Core.Matching;

namespace ThreatIntel.Api.Features.Matching;

/// <summary>
/// Ready only once the first matching index is built, so no event is evaluated against nothing. Until then the check is
/// <see cref="HealthStatus.Degraded"/>, not unhealthy: building the index is what every start does (tens of seconds with
/// a large feed), and an orchestrator polling readiness meanwhile should not fill the log with errors. Readiness still
/// answers 503 for it (<c>HealthChecksSetup</c>).
/// </summary>
internal sealed class MatchingIndexHealthCheck(MatchingIndexHolder holder) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(holder.Current is { } current
            ? HealthCheckResult.Healthy($"Index version {current.Index.Version} holds {current.Index.Count} IOCs.")
            : HealthCheckResult.Degraded("The matching index is being built."));
}
