using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Api.Http;

internal static class PagingMapping
{
    public static PagedResponse<TResponse> ToResponse<TItem, TResponse>(this Page<TItem> page, Func<TItem, TResponse> map) =>
        new()
        {
            Items = page.Items.Select(map).ToList(),
            Page = page.PageNumber,
            PageSize = page.PageSize,
            TotalCount = page.TotalCount,
        };
}
