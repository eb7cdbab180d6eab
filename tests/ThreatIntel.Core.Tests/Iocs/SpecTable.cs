using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Tests.Iocs;

/// <summary>
/// The allowed type/action pairs written out from the spec's table (section 2), independently of
/// <see cref="IocTypeRules"/>, so that the tests check the product against the spec rather than against itself.
/// </summary>
internal static class SpecTable
{
    private static readonly IocAction[] HashActions = [IocAction.Equals];
    private static readonly IocAction[] FreeTextActions =
        [IocAction.Equals, IocAction.Contains, IocAction.StartsWith, IocAction.EndsWith, IocAction.Regex];

    public static readonly IReadOnlyDictionary<IocType, IocAction[]> AllowedActions = new Dictionary<IocType, IocAction[]>
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
    };

    public static IEnumerable<(IocType Type, IocAction Action)> AllPairs() =>
        from type in Enum.GetValues<IocType>()
        from action in Enum.GetValues<IocAction>()
        select (type, action);

    public static bool IsAllowed(IocType type, IocAction action) =>
        AllowedActions.TryGetValue(type, out var actions) && actions.Contains(action);

    public static TheoryData<IocType, IocAction> AllowedPairs() =>
        ToTheoryData(AllPairs().Where(pair => IsAllowed(pair.Type, pair.Action)));

    public static TheoryData<IocType, IocAction> DisallowedPairs() =>
        ToTheoryData(AllPairs().Where(pair => !IsAllowed(pair.Type, pair.Action)));

    /// <summary>A well-formed value for the pair, already in its normalised form.</summary>
    public static string SampleValue(IocType type, IocAction action) => (type, action) switch
    {
        (_, IocAction.Regex) => @"^evil\d+$",
        (IocType.FileSha1 or IocType.CertificateThumbprint, _) => "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        (IocType.FileSha256, _) => "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        (IocType.FileMd5, _) => "d41d8cd98f00b204e9800998ecf8427e",
        (IocType.IpAddress, IocAction.InRange) => "10.0.0.0/8",
        (IocType.IpAddress, _) => "10.0.0.1",
        (IocType.DomainName, IocAction.Contains) => "evil",
        (IocType.DomainName, _) => "evil.com",
        (IocType.Url, IocAction.Contains) => "/payload",
        (IocType.Url, _) => "http://evil.com/payload",
        (IocType.EmailAddress, IocAction.EndsWith) => "@evil.com",
        (IocType.EmailAddress, _) => "user@evil.com",
        _ => "Evil.exe",
    };

    private static TheoryData<IocType, IocAction> ToTheoryData(IEnumerable<(IocType Type, IocAction Action)> pairs)
    {
        var data = new TheoryData<IocType, IocAction>();
        foreach (var (type, action) in pairs)
        {
            data.Add(type, action);
        }

        return data;
    }
}
