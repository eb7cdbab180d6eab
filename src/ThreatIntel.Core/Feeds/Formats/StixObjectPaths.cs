using System.Collections.Frozen;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Feeds.Formats;

/// <summary>
/// Which STIX 2.1 object path stands for which IOC type, both ways: <see cref="StixPatternParser"/> reads paths with it
/// and <see cref="StixFeedExporter"/> writes them, so that what one writes the other reads back as the same type.
/// </summary>
/// <remarks>
/// Hash algorithm names are matched ignoring case and hyphens (<c>'SHA-256'</c>, <c>SHA256</c>, <c>sha256</c>), as
/// producers spell them every way; everything else in a path is matched exactly, as STIX names are case-sensitive.
/// <c>FilePath</c> has no STIX path (STIX splits it into <c>file:name</c> and <c>file:parent_directory_ref.path</c>,
/// which only <c>AND</c> could join), so it travels in <c>x_threatintel_iocs</c>.
/// </remarks>
internal static class StixObjectPaths
{
    private static readonly FrozenDictionary<string, IocType> TypesByPath = new Dictionary<string, IocType>(StringComparer.Ordinal)
    {
        ["file:hashes.MD5"] = IocType.FileMd5,
        ["file:hashes.SHA1"] = IocType.FileSha1,
        ["file:hashes.SHA256"] = IocType.FileSha256,
        ["x509-certificate:hashes.SHA1"] = IocType.CertificateThumbprint,
        ["ipv4-addr:value"] = IocType.IpAddress,
        ["ipv6-addr:value"] = IocType.IpAddress,
        ["domain-name:value"] = IocType.DomainName,
        ["url:value"] = IocType.Url,
        ["email-addr:value"] = IocType.EmailAddress,
        ["email-message:from_ref.value"] = IocType.EmailAddress,
        ["email-message:sender_ref.value"] = IocType.EmailAddress,
        ["file:name"] = IocType.FileName,
        ["process:image_ref.name"] = IocType.ProcessName,

        // STIX 2.0 gave process a name of its own; 2.1 moved it to the image file.
        ["process:name"] = IocType.ProcessName,
        ["process:command_line"] = IocType.CommandLine,
        ["windows-registry-key:key"] = IocType.RegistryKey,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The pattern the exporter writes for a definition none of whose IOCs a comparison can express (or that has none),
    /// as STIX requires a pattern: a custom object no sensor observes, which the importer reads as no IOC.
    /// </summary>
    public const string NoIocPattern = "[x-threatintel-empty:value = 'none']";

    /// <summary>Whether a path is that of <see cref="NoIocPattern"/>.</summary>
    public static bool IsNoIoc(string objectType, IReadOnlyList<string> steps) =>
        objectType == "x-threatintel-empty" && steps is ["value"];

    /// <summary>The IOC type a path names, or null when the product has no type for it.</summary>
    /// <param name="objectType">The object type before the colon, e.g. <c>file</c>.</param>
    /// <param name="steps">The property names after it, unquoted, with list indexes as <c>[*]</c> or <c>[0]</c>.</param>
    public static IocType? TypeOf(string objectType, IReadOnlyList<string> steps)
    {
        var key = new System.Text.StringBuilder(objectType).Append(':');
        for (var i = 0; i < steps.Count; i++)
        {
            if (i > 0)
            {
                key.Append('.');
            }

            var step = steps[i];
            key.Append(i > 0 && steps[i - 1] == "hashes" ? HashName(step) : step);
        }

        return TypesByPath.TryGetValue(key.ToString(), out var type) ? type : null;
    }

    /// <summary>The path an IOC of <paramref name="type"/> is written with, or null when STIX has none.</summary>
    public static string? PathOf(IocType type, string value) => type switch
    {
        IocType.FileMd5 => "file:hashes.MD5",
        IocType.FileSha1 => "file:hashes.'SHA-1'",
        IocType.FileSha256 => "file:hashes.'SHA-256'",
        IocType.CertificateThumbprint => "x509-certificate:hashes.'SHA-1'",
        IocType.IpAddress => value.Contains(':', StringComparison.Ordinal) ? "ipv6-addr:value" : "ipv4-addr:value",
        IocType.DomainName => "domain-name:value",
        IocType.Url => "url:value",
        IocType.EmailAddress => "email-addr:value",
        IocType.FileName => "file:name",
        IocType.ProcessName => "process:image_ref.name",
        IocType.CommandLine => "process:command_line",
        IocType.RegistryKey => "windows-registry-key:key",
        _ => null,
    };

    /// <summary>
    /// Whether an IOC can be written as a comparison the parser reads back as the same type and action:
    /// <c>=</c> for Equals (and for InRange, whose value is a CIDR), <c>MATCHES</c> for Regex.
    /// Contains, StartsWith and EndsWith cannot: STIX's only way is <c>LIKE</c>, which the importer does not take.
    /// </summary>
    public static bool CanWrite(IocType type, IocAction action, string value) =>
        PathOf(type, value) is not null && action switch
        {
            IocAction.Equals => !(type == IocType.IpAddress && value.Contains('/', StringComparison.Ordinal)),
            IocAction.InRange => type == IocType.IpAddress && value.Contains('/', StringComparison.Ordinal),
            IocAction.Regex => IocTypeRules.IsAllowed(type, IocAction.Regex),
            _ => false,
        };

    private static string HashName(string name) =>
        name.Replace("-", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
}
