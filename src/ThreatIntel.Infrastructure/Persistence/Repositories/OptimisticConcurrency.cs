using Microsoft.EntityFrameworkCore;

namespace ThreatIntel.Infrastructure.Persistence.Repositories;

internal static class OptimisticConcurrency
{
    /// <summary>
    /// Whether the loaded entity still has the version the caller expects (HTTP <c>If-Match</c>); no expectation
    /// always passes. A writer that slips in between this read and the save is caught by the concurrency token,
    /// which EF Core checks against the version loaded here.
    /// </summary>
    public static bool ExpectVersion<TEntity>(this DbContext db, TEntity entity, Guid? expectedVersion)
        where TEntity : class =>
        expectedVersion is not { } expected || db.Entry(entity).Property<Guid>("Version").CurrentValue == expected;
}
