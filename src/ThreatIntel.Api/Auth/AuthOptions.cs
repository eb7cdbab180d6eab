namespace ThreatIntel.Api.Auth;

/// <summary>The <c>Auth</c> configuration section.</summary>
internal sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>
    /// An admin key to create (or re-key) at start-up, e.g. from <c>Auth__BootstrapAdminKey</c>: printable ASCII
    /// without spaces, at least 24 random characters recommended. Without it, the first start of an empty database
    /// creates a random admin key and logs it once.
    /// </summary>
    public string? BootstrapAdminKey { get; set; }

    /// <summary>
    /// How long an authenticated key is remembered before the database is asked again. A key revoked or re-keyed
    /// through this instance stops working at once; through another instance sharing the database, within this
    /// time. 0 asks the database on every request.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 300)]
    public double KeyCacheSeconds { get; set; } = 2;
}
