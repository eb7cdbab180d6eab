using System.Collections.Frozen;

namespace ThreatIntel.Core.Iocs;

/// <summary>The type/action pairs the product allows, and the action used when a caller names none.</summary>
public static class IocTypeRules
{
    private static readonly IocAction[] HashActions = [IocAction.Equals];
    private static readonly IocAction[] FreeTextActions =
        [IocAction.Equals, IocAction.Contains, IocAction.StartsWith, IocAction.EndsWith, IocAction.Regex];

    private static readonly FrozenDictionary<IocType, IocAction[]> AllowedActionsByType =
        new Dictionary<IocType, IocAction[]>
        {
            [IocType.FileSha1] = HashActions,
            [IocType.FileSha256] = HashActions,
            [IocType.FileMd5] = HashActions,
            [IocType.CertificateThumbprint] = HashActions,
            [IocType.IpAddress] = [IocAction.Equals, IocAction.InRange],
            [IocType.DomainName] = [IocAction.Equals, IocAction.EndsWith, IocAction.Contains, IocAction.Regex],
            [IocType.Url] = [IocAction.Equals, IocAction.StartsWith, IocAction.Contains, IocAction.Regex],
            [IocType.EmailAddress] = [IocAction.Equals, IocAction.EndsWith, IocAction.Regex],
            [IocType.FileName] = FreeTextActions,
            [IocType.FilePath] = FreeTextActions,
            [IocType.ProcessName] = FreeTextActions,
            [IocType.CommandLine] = FreeTextActions,
            [IocType.RegistryKey] = FreeTextActions,
        }.ToFrozenDictionary();

    public static IReadOnlyList<IocAction> AllowedActions(IocType type) => AllowedActionsByType[type];

    public static bool IsAllowed(IocType type, IocAction action) =>
        AllowedActionsByType.TryGetValue(type, out var actions) && actions.Contains(action);

    /// <summary>
    /// Free-text types are compared ordinal ignore-case, so two IOCs differing only in case are the same IOC.
    /// </summary>
    public static bool IsFreeText(IocType type) => type is IocType.FileName or IocType.FilePath
        or IocType.ProcessName or IocType.CommandLine or IocType.RegistryKey;

    /// <summary>
    /// The action taken when a request leaves it out; the same defaults the spec gives for CSV feeds
    /// (hashes and addresses <c>Equals</c>, CIDR <c>InRange</c>, domains <c>EndsWith</c>, URLs <c>StartsWith</c>).
    /// </summary>
    public static IocAction DefaultAction(IocType type, string? value) => type switch
    {
        IocType.IpAddress when value is not null && value.Contains('/') => IocAction.InRange,
        IocType.DomainName => IocAction.EndsWith,
        IocType.Url => IocAction.StartsWith,
        _ => IocAction.Equals,
    };
}
