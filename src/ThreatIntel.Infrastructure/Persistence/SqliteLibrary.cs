using SQLitePCL;

namespace ThreatIntel.Infrastructure.Persistence;

/// <summary>
/// Process-wide settings of the SQLite library, which take effect only if made before it first opens a database.
/// </summary>
internal static class SqliteLibrary
{
    private static readonly Lazy<bool> Configured = new(() =>
    {
        Batteries_V2.Init();
        // Memory statistics put every allocation SQLite makes behind one process-wide mutex; concurrent look-ups spent
        // more time waiting on it than running (IOC look-ups +40-50 % without it, measured when each still parsed its
        // statement). The service reads none of the statistics. A call after the library has started fails harmlessly and changes
        // nothing, as when a host opened a connection of its own first.
        return raw.sqlite3_config(raw.SQLITE_CONFIG_MEMSTATUS, 0) == raw.SQLITE_OK;
    });

    /// <summary>Applies the settings once; true when they took effect.</summary>
    public static bool EnsureConfigured() => Configured.Value;
}
