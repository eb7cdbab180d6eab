using ThreatIntel.Core.Iocs;
using static ThreatIntel.Core.Tests.Iocs.Normalization.NormalizationAssert;

namespace ThreatIntel.Core.Tests.Iocs.Normalization;

public class FreeTextNormalizationTests
{
    public static TheoryData<IocType, IocAction> FreeTextPairs()
    {
        var data = new TheoryData<IocType, IocAction>();
        foreach (var type in (IocType[])[IocType.FileName, IocType.FilePath, IocType.ProcessName, IocType.CommandLine, IocType.RegistryKey])
        {
            foreach (var action in (IocAction[])[IocAction.Equals, IocAction.Contains, IocAction.StartsWith, IocAction.EndsWith])
            {
                data.Add(type, action);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FreeTextPairs))]
    public void Free_text_is_kept_as_given_including_its_case(IocType type, IocAction action) =>
        IsKept(type, action, @"C:\Users\Public\EVIL Loader.exe -Enc SQBFAFgA");

    [Theory]
    [MemberData(nameof(FreeTextPairs))]
    public void Free_text_surrounded_by_whitespace_is_trimmed(IocType type, IocAction action) =>
        NormalizesTo("Evil.exe", type, action, " \t Evil.exe\r\n ");

    [Theory]
    [InlineData(IocType.CommandLine, "cmd.exe  /c   whoami")]
    [InlineData(IocType.FilePath, "C:\\Program Files\\Evil\tApp\\a.exe")]
    public void Whitespace_inside_free_text_is_kept(IocType type, string value) =>
        IsKept(type, IocAction.Equals, value);

    [Theory]
    [InlineData(IocType.FileName, "rechnung_März.pdf.exe")]
    [InlineData(IocType.RegistryKey, @"HKLM\Software\Microsoft\Windows\CurrentVersion\Run\Ωmega")]
    [InlineData(IocType.ProcessName, "ſvchost.exe")]
    public void Non_ascii_free_text_is_kept_unchanged(IocType type, string value) =>
        IsKept(type, IocAction.Equals, value);

    [Theory]
    [MemberData(nameof(FreeTextPairs))]
    public void Free_text_of_2048_characters_is_accepted(IocType type, IocAction action) =>
        IsKept(type, action, new string('x', 2048));

    [Theory]
    [MemberData(nameof(FreeTextPairs))]
    public void Free_text_over_2048_characters_is_rejected(IocType type, IocAction action) =>
        Rejects(type, action, new string('x', 2049));

    [Fact]
    public void Length_limit_applies_after_trimming() =>
        NormalizesTo(new string('x', 2048), IocType.CommandLine, IocAction.Equals, "  " + new string('x', 2048) + "  ");
}
