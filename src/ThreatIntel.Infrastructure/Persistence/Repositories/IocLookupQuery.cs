using Microsoft.EntityFrameworkCore;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Infrastructure.Persistence.Repositories;

/// <summary>
/// A value look-up (<c>GET /api/v1/iocs?type=&amp;value=</c>) as one precompiled query. Built per request, the query cost
/// more than reading its rows: EF Core evaluated the captured keys, hashed the whole expression tree to find its cached
/// plan and compiled a delegate, every time. A compiled query has one fixed shape, so the keys are padded to
/// <see cref="MaxKeys"/> by repeating the last one (a repeated condition selects nothing more).
/// </summary>
internal static class IocLookupQuery
{
    /// <summary>The most keys a value has: one per action its type allows (the free-text types allow five).</summary>
    public const int MaxKeys = 5;

    private static readonly Func<ThreatIntelDbContext, IocType, IocAction, byte[], IocAction, byte[], IocAction, byte[],
        IocAction, byte[], IocAction, byte[], int, int, IAsyncEnumerable<Ioc>> PageQuery = EF.CompileAsyncQuery(
        (ThreatIntelDbContext db, IocType type, IocAction a1, byte[] h1, IocAction a2, byte[] h2, IocAction a3, byte[] h3,
            IocAction a4, byte[] h4, IocAction a5, byte[] h5, int skip, int take) =>
            db.Iocs.AsNoTracking()
                // The hashes alone first, so that the databases seek the (Type, ValueHash) index; then the pairs.
                .Where(i => i.Type == type
                    && (i.ValueHash == h1 || i.ValueHash == h2 || i.ValueHash == h3 || i.ValueHash == h4 || i.ValueHash == h5))
                .Where(i => (i.Action == a1 && i.ValueHash == h1) || (i.Action == a2 && i.ValueHash == h2)
                    || (i.Action == a3 && i.ValueHash == h3) || (i.Action == a4 && i.ValueHash == h4)
                    || (i.Action == a5 && i.ValueHash == h5))
                .OrderBy(i => i.CreatedAt).ThenBy(i => i.Id)
                .Skip(skip)
                .Take(take));

    /// <summary>The same filter as <see cref="PageQuery"/>, counted: needed only when a page is full.</summary>
    private static readonly Func<ThreatIntelDbContext, IocType, IocAction, byte[], IocAction, byte[], IocAction, byte[],
        IocAction, byte[], IocAction, byte[], Task<int>> CountQuery = EF.CompileAsyncQuery(
        (ThreatIntelDbContext db, IocType type, IocAction a1, byte[] h1, IocAction a2, byte[] h2, IocAction a3, byte[] h3,
            IocAction a4, byte[] h4, IocAction a5, byte[] h5) =>
            db.Iocs
                .Where(i => i.Type == type
                    && (i.ValueHash == h1 || i.ValueHash == h2 || i.ValueHash == h3 || i.ValueHash == h4 || i.ValueHash == h5))
                .Count(i => (i.Action == a1 && i.ValueHash == h1) || (i.Action == a2 && i.ValueHash == h2)
                    || (i.Action == a3 && i.ValueHash == h3) || (i.Action == a4 && i.ValueHash == h4)
                    || (i.Action == a5 && i.ValueHash == h5)));

    public static void CheckKeyCount(IReadOnlyList<IocLookupKey> keys)
    {
        if (keys.Count is 0 or > MaxKeys)
        {
            throw new ArgumentOutOfRangeException(nameof(keys), keys.Count, $"A look-up has 1 to {MaxKeys} keys.");
        }
    }

    /// <summary>The key in place <paramref name="index"/> of the <see cref="MaxKeys"/> a look-up binds: the last one repeats.</summary>
    public static IocLookupKey PaddedKey(IReadOnlyList<IocLookupKey> keys, int index) => keys[Math.Min(index, keys.Count - 1)];

    /// <summary>
    /// One page of the IOCs of <paramref name="type"/> stored under any of 1 to <see cref="MaxKeys"/> keys, with the
    /// count of all of them.
    /// </summary>
    public static async Task<Page<Ioc>> PageAsync(
        ThreatIntelDbContext db, IocType type, IReadOnlyList<IocLookupKey> keys, PageRequest page, CancellationToken cancellationToken)
    {
        CheckKeyCount(keys);
        IocLookupKey Key(int index) => PaddedKey(keys, index);
        var items = new List<Ioc>();
        var rows = PageQuery(db, type, Key(0).Action, Key(0).ValueHash, Key(1).Action, Key(1).ValueHash, Key(2).Action,
            Key(2).ValueHash, Key(3).Action, Key(3).ValueHash, Key(4).Action, Key(4).ValueHash, page.Skip, page.PageSize);
        await foreach (var ioc in rows.WithCancellation(cancellationToken))
        {
            items.Add(ioc);
        }

        var totalCount = QueryPaging.KnownTotal(page, items.Count)
            ?? await CountQuery(db, type, Key(0).Action, Key(0).ValueHash, Key(1).Action, Key(1).ValueHash, Key(2).Action,
                Key(2).ValueHash, Key(3).Action, Key(3).ValueHash, Key(4).Action, Key(4).ValueHash);
        return new Page<Ioc>(items, page.Page, page.PageSize, totalCount);
    }
}
