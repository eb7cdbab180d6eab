using Microsoft.AspNetCore.Mvc.Filters;

namespace ThreatIntel.Api.Features.Matching;

/// <summary>
/// Marks a controller whose writes change what the matching engine matches (definitions, IOCs, feeds): a request
/// that changed it answers only once this instance's index includes the change (<see cref="MatchingVisibilityFilter"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class VisibleToMatchingAttribute : Attribute, IFilterFactory
{
    public bool IsReusable => true;

    public IFilterMetadata CreateInstance(IServiceProvider serviceProvider) =>
        serviceProvider.GetRequiredService<MatchingVisibilityFilter>();
}
