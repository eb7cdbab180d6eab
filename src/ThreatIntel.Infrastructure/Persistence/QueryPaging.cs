using Microsoft.EntityFrameworkCore;
using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Infrastructure.Persistence;

internal static class QueryPaging
{
    /// <summary>One page of an ordered query, with the count of the whole query.</summary>
    public static async Task<Page<T>> ToPageAsync<T>(this IQueryable<T> ordered, PageRequest page, CancellationToken cancellationToken)
    {
        var items = await ordered.Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken);

        // A first page that is not full holds everything: no need to count (most look-ups find one item or none).
        var totalCount = page.Skip == 0 && items.Count < page.PageSize
            ? items.Count
            : await ordered.CountAsync(cancellationToken);
        return new Page<T>(items, page.Page, page.PageSize, totalCount);
    }
}
