using Microsoft.AspNetCore.Mvc.Filters;

namespace ThreatIntel.Api.Features.Matching;

/// <summary>
/// Marks a controller whose successful writes change what the matching engine matches (definitions, IOCs, feeds):
/// such a write answers only once this instance's index includes it (<see cref="MatchingVisibilityFilter"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class VisibleToMatchingAttribute : Attribute, IFilterFactory
{
    public bool IsReusable => true;

    public IFilterMetadata CreateInstance(IServiceProvider serviceProvider) =>
        serviceProvider.GetRequiredService<MatchingVisibilityFilter>();
}
