using Microsoft.EntityFrameworkCore;
using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Infrastructure.Persistence;

internal static class QueryPaging
{
    /// <summary>One page of an ordered query, with the count of the whole query.</summary>
    public static async Task<Page<T>> ToPageAsync<T>(this IQueryable<T> ordered, PageRequest page, CancellationToken cancellationToken)
    {
        var items = await ordered.Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken);
        var totalCount = KnownTotal(page, items.Count) ?? await ordered.CountAsync(cancellationToken);
        return new Page<T>(items, page.Page, page.PageSize, totalCount);
    }

    /// <summary>
    /// The total when the page tells it, so that most queries need no count (most look-ups find one item or none): a
    /// page that is not full is the last one. Null when a count is needed: the page is full, or empty past the first.
    /// </summary>
    public static int? KnownTotal(PageRequest page, int itemCount) =>
        itemCount < page.PageSize && (itemCount > 0 || page.Skip == 0) ? page.Skip + itemCount : null;
}
