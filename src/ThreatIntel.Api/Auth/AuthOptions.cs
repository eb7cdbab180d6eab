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
}
