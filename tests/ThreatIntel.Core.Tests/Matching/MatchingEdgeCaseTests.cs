using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Matching;
using static ThreatIntel.Core.Tests.Matching.MatchingAssert;

namespace ThreatIntel.Core.Tests.Matching;

/// <summary>Hand-written cases of the spec's matching semantics (section 2) that random data may not reach.</summary>
public class MatchingEdgeCaseTests
{
    private const string Sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Theory]
    [InlineData("evil.com")]
    [InlineData("a.evil.com")]
    [InlineData("a.b.evil.com")]
    [InlineData("A.B.EVIL.COM.")]
    public void Domain_ends_with_matches_the_domain_and_its_subdomains(string observed) =>
        Matches(Ioc(IocType.DomainName, IocAction.EndsWith, "evil.com"), observed);

    [Theory]
    [InlineData("notevil.com")]
    [InlineData("a.notevil.com")]
    [InlineData("evil.com.attacker.net")]
    [InlineData("com")]
    [InlineData("vil.com")]
    public void Domain_ends_with_never_matches_across_a_label_boundary(string observed) =>
        DoesNotMatch(Ioc(IocType.DomainName, IocAction.EndsWith, "evil.com"), observed);

    [Fact]
    public void Domain_equals_does_not_match_a_subdomain() =>
        DoesNotMatch(Ioc(IocType.DomainName, IocAction.Equals, "evil.com"), "www.evil.com");

    [Fact]
    public void Domain_contains_is_a_plain_substring_so_it_crosses_label_boundaries() =>
        Matches(Ioc(IocType.DomainName, IocAction.Contains, "evil"), "www.notevil.com");

    [Fact]
    public void Trailing_dot_domain_observable_matches() =>
        Matches(Ioc(IocType.DomainName, IocAction.Equals, "evil.com"), "evil.com.");

    [Theory]
    [InlineData(IocAction.Equals, "bücher.example", "BÜCHER.example.")]
    [InlineData(IocAction.Equals, "xn--bcher-kva.example", "bücher.example")]
    [InlineData(IocAction.EndsWith, "xn--bcher-kva.example", "www.Bücher.example")]
    [InlineData(IocAction.Contains, "bücher", "shop.xn--bcher-kva.example")]
    public void Idn_observable_matches_the_punycode_ioc(IocAction action, string iocValue, string observed) =>
        Matches(Ioc(IocType.DomainName, action, iocValue), observed);

    [Fact]
    public void Idn_email_domain_matches_the_punycode_suffix() =>
        Matches(Ioc(IocType.EmailAddress, IocAction.EndsWith, "@bücher.example"), "Info@Bücher.Example");

    [Theory]
    [InlineData("2001:db8::")]
    [InlineData("2001:DB8:0:0:0:0:0:0")]
    [InlineData("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("2001:db8:1234::5")]
    public void Ipv6_range_contains_its_first_last_and_inner_addresses(string observed) =>
        Matches(Ioc(IocType.IpAddress, IocAction.InRange, "2001:db8::/32"), observed);

    [Theory]
    [InlineData("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("2001:db9::")]
    [InlineData("::")]
    public void Ipv6_range_does_not_contain_the_addresses_just_outside_it(string observed) =>
        DoesNotMatch(Ioc(IocType.IpAddress, IocAction.InRange, "2001:db8::/32"), observed);

    [Theory]
    [InlineData("2001:db8::1/128", "2001:db8::1", true)]
    [InlineData("2001:db8::1/128", "2001:db8::2", false)]
    [InlineData("2001:db8::/127", "2001:db8::1", true)]
    [InlineData("2001:db8::/127", "2001:db8::2", false)]
    [InlineData("::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true)]
    [InlineData("::/0", "1.2.3.4", false)]
    [InlineData("0.0.0.0/0", "255.255.255.255", true)]
    [InlineData("0.0.0.0/0", "::1", false)]
    [InlineData("10.0.0.0/8", "10.0.0.0", true)]
    [InlineData("10.0.0.0/8", "10.255.255.255", true)]
    [InlineData("10.0.0.0/8", "9.255.255.255", false)]
    [InlineData("10.0.0.0/8", "11.0.0.0", false)]
    [InlineData("10.1.2.3/32", "10.1.2.3", true)]
    [InlineData("10.1.2.3/32", "10.1.2.4", false)]
    public void Range_edges_from_the_whole_space_to_a_single_host(string cidr, string observed, bool contained)
    {
        var ioc = Ioc(IocType.IpAddress, IocAction.InRange, cidr);
        if (contained)
        {
            Matches(ioc, observed);
        }
        else
        {
            DoesNotMatch(ioc, observed);
        }
    }

    [Fact]
    public void Every_nested_range_containing_an_address_is_reported()
    {
        IocAction range = IocAction.InRange;
        MatchesAll(
            [
                Ioc(IocType.IpAddress, range, "0.0.0.0/0"), Ioc(IocType.IpAddress, range, "10.0.0.0/8"),
                Ioc(IocType.IpAddress, range, "10.1.0.0/16"), Ioc(IocType.IpAddress, range, "10.1.2.0/24"),
                Ioc(IocType.IpAddress, range, "10.1.2.3/32"), Ioc(IocType.IpAddress, IocAction.Equals, "10.1.2.3"),
            ],
            IocType.IpAddress,
            "10.1.2.3");
    }

    [Fact]
    public void Adjacent_and_nested_ranges_report_exactly_the_ranges_containing_each_address()
    {
        IocAction range = IocAction.InRange;
        var low = Ioc(IocType.IpAddress, range, "192.168.0.0/24");
        var high = Ioc(IocType.IpAddress, range, "192.168.1.0/24");
        var outer = Ioc(IocType.IpAddress, range, "192.168.0.0/23");
        var host = Ioc(IocType.IpAddress, range, "192.168.1.255/32");
        var top = Ioc(IocType.IpAddress, range, "255.255.255.255/32");
        MatchesAll([low, outer], IocType.IpAddress, "192.168.0.255");
        MatchesAll([high, outer], IocType.IpAddress, "192.168.1.0");
        MatchingAssert.MatchesAll([high, outer, host], IocType.IpAddress, "192.168.1.255");
        Assert.Empty(Match([low, high, outer, host, top], IocType.IpAddress, "192.168.2.0"));
        Assert.Empty(Match([low, high, outer, host, top], IocType.IpAddress, "192.167.255.255"));
        Assert.Equal([top], Match([low, high, outer, host, top], IocType.IpAddress, "255.255.255.255"));
    }

    [Theory]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true)]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", false)]
    [InlineData("::", false)]
    public void Range_ending_at_the_last_ipv6_address_holds_it(string observed, bool contained)
    {
        var ioc = Ioc(IocType.IpAddress, IocAction.InRange, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
        if (contained)
        {
            Matches(ioc, observed);
        }
        else
        {
            DoesNotMatch(ioc, observed);
        }
    }

    [Theory]
    [InlineData(IocAction.Equals, "10.1.2.3")]
    [InlineData(IocAction.InRange, "10.0.0.0/8")]
    public void Ipv4_mapped_ipv6_observable_matches_the_ipv4_ioc(IocAction action, string iocValue) =>
        Matches(Ioc(IocType.IpAddress, action, iocValue), "::ffff:10.1.2.3");

    [Fact]
    public void Upper_case_hash_observable_matches_after_normalisation() =>
        Matches(Ioc(IocType.FileSha256, IocAction.Equals, Sha256), Sha256.ToUpperInvariant());

    [Fact]
    public void Hash_of_the_wrong_length_matches_nothing()
    {
        Assert.False(ObservableNormalizer.Normalize(IocType.FileSha256, Sha256[..^1]).IsValid);
        var results = new List<MatchableIoc>();
        IocIndex.Build([Ioc(IocType.FileSha256, IocAction.Equals, Sha256)], 1)
            .Match(IocType.FileSha256, Sha256[..^1], Now, results);
        Assert.Empty(results);
    }

    [Fact]
    public void Hash_of_one_type_does_not_match_an_observable_of_another_type() =>
        Assert.Empty(Match(
            [Ioc(IocType.FileSha1, IocAction.Equals, new string('a', 40))],
            IocType.CertificateThumbprint,
            new string('a', 40)));

    [Theory]
    [InlineData(IocAction.Equals, "svchost.exe", "SVCHOST.EXE")]
    [InlineData(IocAction.Contains, "Temp\\", "C:\\Users\\x\\AppData\\Local\\TEMP\\a.exe")]
    [InlineData(IocAction.StartsWith, "c:\\windows\\", "C:\\Windows\\System32\\evil.dll")]
    [InlineData(IocAction.EndsWith, ".PS1", "script.ps1")]
    [InlineData(IocAction.Equals, "DATEI-Ä.EXE", "datei-ä.exe")]
    public void Free_text_is_compared_ignoring_case(IocAction action, string iocValue, string observed) =>
        Matches(Ioc(IocType.FilePath, action, iocValue), observed);

    [Theory]
    [InlineData(IocAction.Equals, "ſvchost.exe", "svchost.exe")]
    [InlineData(IocAction.Contains, "ſvchost", "SVCHOST.EXE")]
    [InlineData(IocAction.StartsWith, "\u212Aernel", "kernel32.dll")]
    public void Free_text_case_folding_keeps_apart_what_ordinal_ignore_case_keeps_apart(
        IocAction action, string iocValue, string observed) =>
        DoesNotMatch(Ioc(IocType.FileName, action, iocValue), observed);

    [Fact]
    public void Free_text_observable_is_trimmed_but_keeps_inner_spaces() =>
        Matches(Ioc(IocType.CommandLine, IocAction.Equals, "cmd /c whoami"), "  CMD /C whoami \t");

    [Theory]
    [InlineData("^evil", "evil.exe", true)]
    [InlineData("^evil", "EVIL.exe", false)]
    [InlineData("(?i)^evil", "EVIL.exe", true)]
    [InlineData(@"(?i)evil\.exe$", "C:\\EVIL.EXE", true)]
    [InlineData("(?i:e)vil", "Evil.exe", true)]
    [InlineData("(?i:e)vil", "EVIL.exe", false)]
    public void Regex_is_case_sensitive_unless_its_own_flags_say_otherwise(string pattern, string observed, bool matches)
    {
        var ioc = Ioc(IocType.FileName, IocAction.Regex, pattern);
        if (matches)
        {
            Matches(ioc, observed);
        }
        else
        {
            DoesNotMatch(ioc, observed);
        }
    }

    [Fact]
    public void Regex_runs_against_the_normalised_observable() =>
        Matches(Ioc(IocType.DomainName, IocAction.Regex, @"^xn--bcher-kva\.example$"), "BÜCHER.example.");

    [Fact]
    public void Regexes_with_and_without_a_required_literal_all_run()
    {
        MatchesAll(
            [
                Ioc(IocType.FilePath, IocAction.Regex, @"\\temp\\[a-z]+\.exe$"),
                Ioc(IocType.FilePath, IocAction.Regex, @"^c:"),
                Ioc(IocType.FilePath, IocAction.Regex, @"^.{10,}$"),
                Ioc(IocType.FilePath, IocAction.Regex, @"(temp|tmp)\\"),
                Ioc(IocType.FilePath, IocAction.Regex, @"x?temp"),
            ],
            IocType.FilePath,
            @"c:\temp\evil.exe");
    }

    [Fact]
    public void Inline_options_of_one_gated_pattern_do_not_reach_the_patterns_beside_it()
    {
        // Short or absent literals put these in one gate: (?:(?i)^ab)|(?:cd$)|...
        var caseInsensitive = Ioc(IocType.FileName, IocAction.Regex, "(?i)^ab");
        var caseSensitive = Ioc(IocType.FileName, IocAction.Regex, "cd$");
        var results = Match([caseInsensitive, caseSensitive], IocType.FileName, "AB.CD");
        Assert.Equal([caseInsensitive], results);
    }

    [Fact]
    public void Free_spacing_comment_in_a_pattern_does_not_hide_the_patterns_after_it()
    {
        var commented = Ioc(IocType.FileName, IocAction.Regex, "(?x) a b # the rest is a comment");
        var plain = Ioc(IocType.FileName, IocAction.Regex, "^zz");
        MatchesAll([commented, plain], IocType.FileName, "zz-ab");
        Assert.Equal([plain], Match([commented, plain], IocType.FileName, "zz"));
    }

    [Fact]
    public void Hundreds_of_patterns_without_a_literal_each_still_match_only_their_values()
    {
        var iocs = Enumerable.Range(0, 300).Select(i => Ioc(IocType.FileName, IocAction.Regex, $"^{i}[a-z]$")).ToArray();
        Assert.Equal([iocs[7]], Match(iocs, IocType.FileName, "7x"));
        Assert.Equal([iocs[299]], Match(iocs, IocType.FileName, "299q"));
        Assert.Empty(Match(iocs, IocType.FileName, "300q"));
    }

    [Theory]
    [InlineData(@"\\evil\.exe", @"c:\evil.exe", true)]
    [InlineData(@"\\evil\.exe", @"c:\evilxexe", false)]
    [InlineData(@"\\evil\.exe", @"C:\EVIL.EXE", false)]
    [InlineData(@"mimikatz", @"c:	ools\mimikatz64.exe", true)]
    public void Pattern_of_plain_text_matches_as_a_case_sensitive_substring(string pattern, string observed, bool matches)
    {
        var ioc = Ioc(IocType.FilePath, IocAction.Regex, pattern);
        if (matches)
        {
            Matches(ioc, observed);
        }
        else
        {
            DoesNotMatch(ioc, observed);
        }
    }

    [Fact]
    public void Prefiltered_pattern_the_linear_engine_refuses_is_reported_with_its_ioc_when_first_run()
    {
        // Validation refuses such a pattern when it is written; the index only checks syntax, so a stored value that
        // bypassed validation fails loudly the first time a value contains its literal.
        var ioc = new MatchableIoc(Guid.NewGuid(), Guid.NewGuid(), IocType.FilePath, IocAction.Regex, "evilpayload(?=x)", null);
        var index = IocIndex.Build([ioc], 1);
        var results = new List<MatchableIoc>();
        index.Match(IocType.FilePath, "harmless", Now, results);
        var exception = Assert.Throws<InvalidOperationException>(() => index.Match(IocType.FilePath, "evilpayloadx", Now, results));
        Assert.Contains(ioc.IocId.ToString(), exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("evil.com/payload", "http://evil.com/payload")]
    [InlineData("evil.com/payload", "HTTPS://EVIL.com/payload")]
    [InlineData("evil.com/payload", "evil.com/payload")]
    [InlineData("http://evil.com/payload", "http://evil.com:80/payload")]
    [InlineData("http://evil.com/", "HTTP://EVIL.COM")]
    public void Url_equals_compares_canonical_urls_and_a_schemeless_ioc_matches_any_scheme(string iocValue, string observed) =>
        Matches(Ioc(IocType.Url, IocAction.Equals, iocValue), observed);

    [Theory]
    [InlineData("evil.com/payload", "http://evil.com/payload2")]
    [InlineData("http://evil.com/payload", "https://evil.com/payload")]
    [InlineData("http://evil.com/payload", "evil.com/payload")]
    [InlineData("http://evil.com/Payload", "http://evil.com/payload")]
    public void Url_equals_keeps_apart_other_paths_schemes_and_path_case(string iocValue, string observed) =>
        DoesNotMatch(Ioc(IocType.Url, IocAction.Equals, iocValue), observed);

    [Theory]
    [InlineData("evil.com/a", "https://evil.com/abc", true)]
    [InlineData("evil.com/a", "ftp://evil.com/a/b", true)]
    [InlineData("evil.com/a", "evil.com/a?x=1", true)]
    [InlineData("evil.com/a", "http://notevil.com/a", false)]
    [InlineData("evil.com/a", "http://x.evil.com/a", false)]
    [InlineData("https://evil.com/a", "http://evil.com/a", false)]
    [InlineData("HTTP://Evil.com/A", "http://evil.com/A/b", true)]
    [InlineData("http://evil.com/A", "http://evil.com/a/b", false)]
    public void Url_starts_with_is_an_ordinal_prefix_and_a_schemeless_ioc_ignores_the_scheme(
        string iocValue, string observed, bool matches)
    {
        var ioc = Ioc(IocType.Url, IocAction.StartsWith, iocValue);
        if (matches)
        {
            Matches(ioc, observed);
        }
        else
        {
            DoesNotMatch(ioc, observed);
        }
    }

    [Fact]
    public void Url_contains_is_case_sensitive_on_the_canonical_url()
    {
        Matches(Ioc(IocType.Url, IocAction.Contains, "/Payload"), "http://EVIL.com/Payload.exe");
        DoesNotMatch(Ioc(IocType.Url, IocAction.Contains, "/payload"), "http://evil.com/Payload.exe");
        Matches(Ioc(IocType.Url, IocAction.Contains, "evil.com/"), "HTTP://EVIL.COM");
    }

    [Fact]
    public void Email_ends_with_is_a_plain_suffix_of_the_lower_cased_address()
    {
        Matches(Ioc(IocType.EmailAddress, IocAction.EndsWith, "@Evil.com"), "CEO@EVIL.COM");
        DoesNotMatch(Ioc(IocType.EmailAddress, IocAction.EndsWith, "@evil.com"), "ceo@notevil.com");
        Matches(Ioc(IocType.EmailAddress, IocAction.EndsWith, "evil.com"), "ceo@notevil.com");
    }

    [Fact]
    public void Malformed_email_observable_is_still_compared_lower_cased() =>
        Matches(Ioc(IocType.EmailAddress, IocAction.EndsWith, "@evil.com"), "Spoof@Bank.com@EVIL.com");

    [Fact]
    public void Overlapping_contains_patterns_are_all_reported() =>
        MatchesAll(
            [
                Ioc(IocType.CommandLine, IocAction.Contains, "abc"), Ioc(IocType.CommandLine, IocAction.Contains, "bcd"),
                Ioc(IocType.CommandLine, IocAction.Contains, "CDE"), Ioc(IocType.CommandLine, IocAction.Contains, "b"),
                Ioc(IocType.CommandLine, IocAction.Contains, "xabcdex"),
            ],
            IocType.CommandLine,
            "xABCDEx");

    [Theory]
    [InlineData(IocType.FileName, IocAction.StartsWith, "svc", "svchost", "svchost.exe")]
    [InlineData(IocType.FileName, IocAction.EndsWith, ".exe", "host.exe", "svchost.exe")]
    [InlineData(IocType.FileName, IocAction.Contains, "evil", "evil.exe", "x-evil.exe")]
    [InlineData(IocType.Url, IocAction.StartsWith, "http://evil.com/a", "http://evil.com/a/b", "http://evil.com/a/b/c")]
    [InlineData(IocType.Url, IocAction.StartsWith, "evil.com/a", "http://evil.com/a/b", "http://evil.com/a/b/c")]
    [InlineData(IocType.Url, IocAction.Contains, "/a", "/a/b", "http://evil.com/a/b")]
    [InlineData(IocType.DomainName, IocAction.EndsWith, "com", "evil.com", "a.evil.com")]
    [InlineData(IocType.DomainName, IocAction.Contains, "evil", "evil.c", "a.evil.com")]
    [InlineData(IocType.EmailAddress, IocAction.EndsWith, "evil.com", "@evil.com", "ceo@evil.com")]
    public void A_pattern_that_is_a_prefix_of_another_is_reported_with_it(
        IocType type, IocAction action, string shorter, string longer, string observed) =>
        MatchesAll([Ioc(type, action, shorter), Ioc(type, action, longer)], type, observed);

    [Fact]
    public void Every_ioc_of_every_definition_matching_one_observable_is_reported()
    {
        Guid first = Guid.NewGuid(), second = Guid.NewGuid(), third = Guid.NewGuid();
        var iocs = new[]
        {
            Ioc(IocType.DomainName, IocAction.Equals, "a.evil.com", first),
            Ioc(IocType.DomainName, IocAction.Equals, "a.evil.com", second),
            Ioc(IocType.DomainName, IocAction.EndsWith, "evil.com", second),
            Ioc(IocType.DomainName, IocAction.EndsWith, "evil.com", third),
            Ioc(IocType.DomainName, IocAction.Contains, "evil", third),
            Ioc(IocType.DomainName, IocAction.Regex, @"^a\.", first),
        };

        var results = Match(iocs, IocType.DomainName, "a.evil.com");

        Assert.Equal(iocs.Select(ioc => ioc.IocId).Order(), results.Select(ioc => ioc.IocId).Order());
        Assert.Equal(new[] { first, second, third }.Order(), results.Select(ioc => ioc.AlertDefinitionId).Distinct().Order());
    }

    [Theory]
    [InlineData(IocType.FileSha256, IocAction.Equals, Sha256, Sha256)]
    [InlineData(IocType.IpAddress, IocAction.InRange, "10.0.0.0/8", "10.1.2.3")]
    [InlineData(IocType.DomainName, IocAction.EndsWith, "evil.com", "a.evil.com")]
    [InlineData(IocType.Url, IocAction.StartsWith, "evil.com/", "http://evil.com/x")]
    [InlineData(IocType.FileName, IocAction.Contains, "evil", "evil.exe")]
    [InlineData(IocType.FileName, IocAction.Regex, "evil", "evil.exe")]
    [InlineData(IocType.FileName, IocAction.Regex, "^.", "evil.exe")]
    public void Expired_ioc_never_matches(IocType type, IocAction action, string iocValue, string observed)
    {
        var expiredNow = Ioc(type, action, iocValue, expiresAt: Now);
        var expiredBefore = Ioc(type, action, iocValue, expiresAt: Now.AddTicks(-1));
        var expiresLater = Ioc(type, action, iocValue, expiresAt: Now.AddTicks(1));
        var neverExpires = Ioc(type, action, iocValue);

        var results = Match([expiredNow, expiredBefore, expiresLater, neverExpires], type, observed);

        Assert.Equal(new[] { expiresLater.IocId, neverExpires.IocId }.Order(), results.Select(ioc => ioc.IocId).Order());
    }

    [Theory]
    [InlineData(IocType.CommandLine, IocAction.Contains, "ab", "ab-AB-ab")]
    [InlineData(IocType.CommandLine, IocAction.Regex, "ab", "ab-ab-ab")]
    [InlineData(IocType.Url, IocAction.Contains, "/x", "http://evil.com/x/x/x")]
    [InlineData(IocType.DomainName, IocAction.Contains, "a", "a.a.a")]
    public void An_ioc_occurring_several_times_in_the_value_is_reported_once(
        IocType type, IocAction action, string iocValue, string observed) =>
        Matches(Ioc(type, action, iocValue), observed);

    [Fact]
    public void Ioc_given_twice_to_the_index_is_held_and_reported_once()
    {
        var ioc = Ioc(IocType.DomainName, IocAction.EndsWith, "evil.com");
        var index = IocIndex.Build([ioc, ioc with { }], 1);
        var results = new List<MatchableIoc>();

        index.Match(IocType.DomainName, "evil.com", Now, results);

        Assert.Equal(1, index.Count);
        Assert.Equal([ioc], results);
    }

    [Fact]
    public void Two_different_iocs_with_one_id_are_rejected()
    {
        var ioc = Ioc(IocType.DomainName, IocAction.EndsWith, "evil.com");
        var exception = Assert.Throws<ArgumentException>(() => IocIndex.Build([ioc, ioc with { Value = "bad.com" }], 1));
        Assert.Contains(ioc.IocId.ToString(), exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(IocType.FileMd5, IocAction.Contains, "abc")]
    [InlineData(IocType.FileMd5, IocAction.Equals, "not-hex")]
    [InlineData(IocType.FileSha1, IocAction.Equals, "D41D8CD98F00B204E9800998ECF8427E0000AAAA")]
    [InlineData(IocType.IpAddress, IocAction.Equals, "10.0.0.0/8")]
    [InlineData(IocType.IpAddress, IocAction.InRange, "10.0.0.1")]
    [InlineData(IocType.IpAddress, IocAction.InRange, "10.0.0.0/33")]
    [InlineData(IocType.FileName, IocAction.Regex, "(a")]
    [InlineData(IocType.FileName, IocAction.Regex, @"(a)\1")]
    public void Value_that_was_not_normalised_for_its_pair_is_rejected_when_building(
        IocType type, IocAction action, string value)
    {
        var ioc = new MatchableIoc(Guid.NewGuid(), Guid.NewGuid(), type, action, value, null);
        var exception = Assert.Throws<ArgumentException>(() => IocIndex.Build([ioc], 1));
        Assert.Contains(ioc.IocId.ToString(), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Index_reports_its_version_and_counts_by_type_and_action()
    {
        var index = IocIndex.Build(
            [
                Ioc(IocType.FileMd5, IocAction.Equals, new string('a', 32)),
                Ioc(IocType.FileMd5, IocAction.Equals, new string('a', 32)),
                Ioc(IocType.DomainName, IocAction.EndsWith, "evil.com", expiresAt: Now.AddDays(-1)),
                Ioc(IocType.DomainName, IocAction.Contains, "evil"),
            ],
            version: 42);

        Assert.Equal(42, index.Version);
        Assert.Equal(4, index.Count);
        Assert.Equal(
            new Dictionary<IocTypeAction, int>
            {
                [new(IocType.FileMd5, IocAction.Equals)] = 2,
                [new(IocType.DomainName, IocAction.EndsWith)] = 1,
                [new(IocType.DomainName, IocAction.Contains)] = 1,
            },
            index.CountsByTypeAndAction);
    }

    [Fact]
    public void Empty_index_matches_nothing()
    {
        var index = IocIndex.Build([], 0);
        var results = new List<MatchableIoc>();

        foreach (var type in Enum.GetValues<IocType>())
        {
            index.Match(type, "evil.com", Now, results);
        }

        Assert.Equal(0, index.Count);
        Assert.Empty(results);
    }

    [Fact]
    public void Concurrent_readers_all_get_the_same_answer()
    {
        var corpus = new RandomCorpus(seed: 5, definitionCount: 4);
        var iocs = corpus.Iocs(1000, Now);
        var index = IocIndex.Build(iocs, 1);
        var observables = iocs.Where(ioc => ioc.Action != IocAction.Regex)
            .Select(ioc => (ioc.Type, Value: ObservableNormalizer.Normalize(ioc.Type, ioc.Value).Value))
            .Where(observable => observable.Value is not null)
            .ToArray();
        string MatchAll()
        {
            var results = new List<MatchableIoc>();
            foreach (var (type, value) in observables)
            {
                index.Match(type, value!, Now, results);
            }

            return string.Join(',', results.Select(ioc => ioc.IocId));
        }

        var expected = MatchAll();
        var answers = new string[8];
        Parallel.For(0, answers.Length, i => answers[i] = MatchAll());

        Assert.All(answers, answer => Assert.Equal(expected, answer));
    }
}
