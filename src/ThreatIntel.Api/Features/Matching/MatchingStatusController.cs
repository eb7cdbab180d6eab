using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ThreatIntel.Api.Auth;
using ThreatIntel.Api.Http;
using ThreatIntel.Core.ApiKeys;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Matching;

namespace ThreatIntel.Api.Features.Matching;

/// <summary>The matching index: which IOCs events are evaluated against.</summary>
[Route("api/v1/matching")]
[Tags("Matching")]
public sealed class MatchingStatusController(MatchingIndexHolder holder, IOptions<MatchingOptions> options) : ApiControllerBase
{
    /// <summary>Reads the matching index's version, IOC counts by type and action, and when and how fast it was built.</summary>
    /// <response code="200">The current index.</response>
    /// <response code="503">The first index is still being built.</response>
    [HttpGet("status")]
    [RequireScope(ApiKeyScopes.DefinitionsRead)]
    [ProducesResponseType<MatchingStatusResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public IActionResult Status()
    {
        if (holder.Current is not { } current)
        {
            return MatchingIndexNotReadyProblem();
        }

        return Ok(new MatchingStatusResponse
        {
            Version = current.Index.Version,
            IocCount = current.Index.Count,
            Counts = current.Index.CountsByTypeAndAction
                .GroupBy(pair => pair.Key.Type)
                .OrderBy(group => group.Key)
                .ToDictionary(
                    group => group.Key,
                    group => (IReadOnlyDictionary<IocAction, int>)group.OrderBy(pair => pair.Key.Action)
                        .ToDictionary(pair => pair.Key.Action, pair => pair.Value)),
            BuiltAt = current.BuiltAt,
            BuildDurationMs = current.BuildDuration.TotalMilliseconds,
            RefreshIntervalSeconds = options.Value.RefreshIntervalSeconds,
        });
    }
}

/// <summary>The state of the matching index.</summary>
public sealed class MatchingStatusResponse
{
    /// <summary>Increases with every rebuild of this instance's index.</summary>
    /// <example>3</example>
    public required long Version { get; init; }

    /// <summary>Enabled IOCs of enabled definitions in the index (expired ones included; they never match).</summary>
    /// <example>1</example>
    public required int IocCount { get; init; }

    /// <summary>IOC counts by type, then action; pairs without IOCs are left out.</summary>
    /// <example>{"FileSha1": {"Equals": 1}}</example>
    public required IReadOnlyDictionary<IocType, IReadOnlyDictionary<IocAction, int>> Counts { get; init; }

    /// <summary>When the index was built (UTC).</summary>
    public required DateTime BuiltAt { get; init; }

    /// <summary>How long loading the IOCs and building the index took, in milliseconds.</summary>
    /// <example>12.5</example>
    public required double BuildDurationMs { get; init; }

    /// <summary>How often changes made through other instances are looked for, in seconds.</summary>
    /// <example>2</example>
    public required double RefreshIntervalSeconds { get; init; }
}
