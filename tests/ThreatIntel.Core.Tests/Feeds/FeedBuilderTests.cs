using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Feeds;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Tests.Feeds;

public class FeedBuilderTests
{
    private const string Sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string Md5 = "d41d8cd98f00b204e9800998ecf8427e";
    private const string Sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";

    private static readonly DateTime Expiry = new(2026, 12, 31, 23, 59, 59, DateTimeKind.Utc);

    [Fact]
    public void A_valid_definition_is_added_to_the_feed_once()
    {
        var builder = NewBuilder();
        var metadata = Metadata("Emotet");

        var definition = builder.Definition(metadata, "definitions[0]");

        Assert.NotNull(definition);
        Assert.Same(metadata, definition.Metadata);
        Assert.Same(definition, Assert.Single(builder.Feed.Definitions));
        Assert.Empty(definition.Iocs);
        Assert.Empty(builder.Feed.Errors);
        Assert.Equal(0, builder.Feed.ErrorCount);
    }

    [Fact]
    public void Definitions_are_kept_in_the_order_they_are_first_read()
    {
        var builder = NewBuilder();

        builder.Definition(Metadata("Qakbot"), "line 2");
        builder.Definition(Metadata("Emotet"), "line 3");
        builder.Definition(Metadata("qakbot"), "line 4");

        Assert.Equal(["Qakbot", "Emotet"], builder.Feed.Definitions.Select(d => d.Metadata.Name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_definition_without_a_name_is_rejected_with_its_location(string name)
    {
        var builder = NewBuilder();

        var definition = builder.Definition(Metadata(name), "definitions[3]");

        Assert.Null(definition);
        Assert.Empty(builder.Feed.Definitions);
        var error = Assert.Single(builder.Feed.Errors);
        Assert.Equal("definitions[3]", error.Location);
        Assert.Equal(name, error.Value);
        Assert.StartsWith("name:", error.Reason, StringComparison.Ordinal);
        Assert.Equal(1, builder.Feed.ErrorCount);
    }

    [Fact]
    public void A_definition_name_of_201_characters_is_rejected_and_200_accepted()
    {
        var builder = NewBuilder();
        var tooLong = new string('a', 201);

        Assert.Null(builder.Definition(Metadata(tooLong), "line 7"));
        Assert.NotNull(builder.Definition(Metadata(new string('b', 200)), "line 8"));

        var definition = Assert.Single(builder.Feed.Definitions);
        Assert.Equal(200, definition.Metadata.Name.Length);
        var error = Assert.Single(builder.Feed.Errors);
        Assert.Equal(("line 7", tooLong), (error.Location, error.Value));
        Assert.Contains("200", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X1059")]
    [InlineData("T105")]
    [InlineData("T1059.01")]
    public void A_definition_with_a_bad_mitre_id_is_rejected_naming_the_id(string technique)
    {
        var builder = NewBuilder();

        var definition = builder.Definition(Metadata("Emotet") with { MitreTechniques = ["T1059", technique] }, "objects[5]");

        Assert.Null(definition);
        Assert.Empty(builder.Feed.Definitions);
        var error = Assert.Single(builder.Feed.Errors);
        Assert.Equal("objects[5]", error.Location);
        Assert.Null(error.Value);
        Assert.StartsWith("mitreTechniques:", error.Reason, StringComparison.Ordinal);
        Assert.Contains(technique, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_of_a_definition_is_reported_at_its_location()
    {
        var builder = NewBuilder();
        var metadata = Metadata("") with { Severity = (Severity)42, MitreTechniques = ["X1"], Tags = [""] };

        Assert.Null(builder.Definition(metadata, "definitions[1]"));

        Assert.Equal(4, builder.Feed.ErrorCount);
        Assert.All(builder.Feed.Errors, error => Assert.Equal("definitions[1]", error.Location));
        Assert.Equal(
            ["name", "severity", "mitreTechniques", "tags"],
            builder.Feed.Errors.Select(error => error.Reason[..error.Reason.IndexOf(':', StringComparison.Ordinal)]));
    }

    [Fact]
    public void A_later_valid_row_of_a_rejected_definition_name_creates_it()
    {
        var builder = NewBuilder();

        Assert.Null(builder.Definition(Metadata("Emotet") with { MitreTechniques = ["bad"] }, "line 2"));
        var definition = builder.Definition(Metadata("Emotet"), "line 3");

        Assert.NotNull(definition);
        Assert.Same(definition, Assert.Single(builder.Feed.Definitions));
        Assert.Equal(1, builder.Feed.ErrorCount);
    }

    [Theory]
    [InlineData(IocType.FileSha256, "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", Sha256)]
    [InlineData(IocType.FileMd5, " D41D8CD98F00B204E9800998ECF8427E ", Md5)]
    [InlineData(IocType.FileSha1, "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709", Sha1)]
    [InlineData(IocType.CertificateThumbprint, "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709", Sha1)]
    [InlineData(IocType.DomainName, "WWW.Evil.COM.", "www.evil.com")]
    [InlineData(IocType.Url, "HTTP://Evil.COM:80", "http://evil.com/")]
    [InlineData(IocType.Url, "HTTPS://Evil.com:443/Path?Q=1", "https://evil.com/Path?Q=1")]
    [InlineData(IocType.Url, "Evil.COM/Payload", "evil.com/Payload")]
    [InlineData(IocType.IpAddress, " 10.0.0.1 ", "10.0.0.1")]
    [InlineData(IocType.FileName, "  invoice.exe ", "invoice.exe")]
    public void An_ioc_is_stored_normalised(IocType type, string raw, string expected)
    {
        var builder = NewBuilder();
        var definition = builder.Definition(Metadata("Emotet"), "definitions[0]")!;

        Assert.True(builder.Ioc(definition, type, null, raw, null, true, null, "definitions[0].iocs[0]"));

        var ioc = Assert.Single(definition.Iocs);
        Assert.Equal(expected, ioc.Value);
        Assert.Equal(type, ioc.Type);
        Assert.Equal(IocIdentity.Of(type, ioc.Action, expected), ioc.Identity);
        Assert.Empty(builder.Feed.Errors);
    }

    [Fact]
    public void An_ioc_keeps_its_description_enablement_and_expiry()
    {
        var builder = NewBuilder();
        var definition = builder.Definition(Metadata("Emotet"), "line 2")!;

        Assert.True(builder.Ioc(definition, IocType.FileMd5, IocAction.Equals, Md5, "dropper", false, Expiry, "line 2"));

        var ioc = Assert.Single(definition.Iocs);
        Assert.Equal(("dropper", false, (DateTime?)Expiry), (ioc.Description, ioc.Enabled, ioc.ExpiresAt));
    }

    [Theory]
    [InlineData(IocType.IpAddress, "10.0.0.0/8", IocAction.InRange)]
    [InlineData(IocType.IpAddress, "2001:db8::/32", IocAction.InRange)]
    [InlineData(IocType.IpAddress, "10.0.0.1", IocAction.Equals)]
    [InlineData(IocType.DomainName, "evil.com", IocAction.EndsWith)]
    [InlineData(IocType.Url, "http://evil.com/payload", IocAction.StartsWith)]
    [InlineData(IocType.FileSha256, Sha256, IocAction.Equals)]
    [InlineData(IocType.FileSha1, Sha1, IocAction.Equals)]
    [InlineData(IocType.FileMd5, Md5, IocAction.Equals)]
    [InlineData(IocType.CertificateThumbprint, Sha1, IocAction.Equals)]
    [InlineData(IocType.EmailAddress, "bad@evil.com", IocAction.Equals)]
    [InlineData(IocType.FileName, "invoice.exe", IocAction.Equals)]
    public void An_ioc_without_an_action_gets_the_default_action_of_its_type(IocType type, string value, IocAction expected)
    {
        var builder = NewBuilder();
        var definition = builder.Definition(Metadata("Emotet"), "line 2")!;

        Assert.True(builder.Ioc(definition, type, null, value, null, true, null, "line 2"));

        Assert.Equal(expected, Assert.Single(definition.Iocs).Action);
    }

    [Fact]
    public void An_explicit_action_overrides_the_default()
    {
        var builder = NewBuilder();
        var definition = builder.Definition(Metadata("Emotet"), "line 2")!;

        Assert.True(builder.Ioc(definition, IocType.DomainName, IocAction.Equals, "evil.com", null, true, null, "line 2"));

        Assert.Equal(IocAction.Equals, Assert.Single(definition.Iocs).Action);
    }

    [Theory]
    [InlineData(IocType.FileSha256, Sha256, IocAction.Contains)]
    [InlineData(IocType.FileMd5, Md5, IocAction.Regex)]
    [InlineData(IocType.Url, "http://evil.com/", IocAction.InRange)]
    [InlineData(IocType.DomainName, "evil.com", IocAction.StartsWith)]
    [InlineData(IocType.FileName, "invoice.exe", IocAction.InRange)]
    public void A_disallowed_type_and_action_pair_is_rejected_naming_both(IocType type, string value, IocAction action)
    {
        var builder = NewBuilder();
        var definition = builder.Definition(Metadata("Emotet"), "line 2")!;

        Assert.False(builder.Ioc(definition, type, action, value, null, true, null, "line 9"));

        Assert.Empty(definition.Iocs);
        var error = Assert.Single(builder.Feed.Errors);
        Assert.Equal(("line 9", value), (error.Location, error.Value));
        Assert.Contains(type.ToString(), error.Reason, StringComparison.Ordinal);
        Assert.Contains($"not {action}", error.Reason, StringComparison.Ordinal);
        Assert.Equal(1, builder.Feed.RowsRead);
    }

    [Theory]
    [InlineData(IocType.FileMd5, "not-a-hash")]
    [InlineData(IocType.FileSha256, Md5)]
    [InlineData(IocType.IpAddress, "10.0.0.256")]
    [InlineData(IocType.IpAddress, "10.0.0.1/8")]
    [InlineData(IocType.DomainName, "http://evil.com/")]
    [InlineData(IocType.Url, "/relative/path")]
    [InlineData(IocType.FileName, "   ")]
    [InlineData(IocType.FileName, null)]
    public void An_invalid_value_is_rejected_with_the_normaliser_reason(IocType type, string? value)
    {
        var builder = NewBuilder();
        var definition = builder.Definition(Metadata("Emotet"), "line 2")!;

        Assert.False(builder.Ioc(definition, type, null, value, null, true, null, "line 4"));

        Assert.Empty(definition.Iocs);
        var error = Assert.Single(builder.Feed.Errors);
        Assert.Equal(("line 4", value), (error.Location, error.Value));
        Assert.False(string.IsNullOrWhiteSpace(error.Reason));
    }

    [Fact]
    public void An_ioc_description_over_1000_characters_is_rejected_and_1000_accepted()
    {
        var builder = NewBuilder();
        var definition = builder.Definition(Metadata("Emotet"), "line 2")!;

        Assert.False(builder.Ioc(definition, IocType.FileMd5, null, Md5, new string('d', 1001), true, null, "line 2"));
        Assert.True(builder.Ioc(definition, IocType.FileSha256, null, Sha256, new string('d', 1000), true, null, "line 3"));

        Assert.Equal(IocType.FileSha256, Assert.Single(definition.Iocs).Type);
        var error = Assert.Single(builder.Feed.Errors);
        Assert.Equal(("line 2", Md5), (error.Location, error.Value));
        Assert.Contains("1000", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DateTimeKind.Unspecified)]
    [InlineData(DateTimeKind.Local)]
    public void An_expiry_that_is_not_utc_is_rejected(DateTimeKind kind)
    {
        var builder = NewBuilder();
        var definition = builder.Definition(Metadata("Emotet"), "line 2")!;
        var expiresAt = DateTime.SpecifyKind(Expiry, kind);

        Assert.False(builder.Ioc(definition, IocType.FileMd5, null, Md5, null, true, expiresAt, "line 2"));

        Assert.Empty(definition.Iocs);
        var error = Assert.Single(builder.Feed.Errors);
        Assert.Contains("UTC", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_repeated_in_one_definition_is_kept_once_the_first_time_and_is_not_an_error()
    {
        var builder = NewBuilder();
        var definition = builder.Definition(Metadata("Emotet"), "line 2")!;

        Assert.True(builder.Ioc(definition, IocType.FileSha256, null, Sha256, "first", true, null, "line 2"));
        Assert.True(builder.Ioc(definition, IocType.FileSha256, null, Sha256.ToUpperInvariant(), "second", false, Expiry, "line 3"));
        Assert.True(builder.Ioc(definition, IocType.FileSha256, IocAction.Equals, Sha256, "third", true, null, "line 4"));

        var ioc = Assert.Single(definition.Iocs);
        Assert.Equal(("first", true, (DateTime?)null), (ioc.Description, ioc.Enabled, ioc.ExpiresAt));
        Assert.Empty(builder.Feed.Errors);
        Assert.Equal(3, builder.Feed.RowsRead);
    }

    [Theory]
    [InlineData(IocType.DomainName, "Evil.COM", "evil.com.")]
    [InlineData(IocType.Url, "HTTP://EVIL.com:80/a", "http://evil.com/a")]
    [InlineData(IocType.FileName, "Invoice.exe", "INVOICE.EXE")]
    public void Values_equal_after_normalisation_are_one_ioc(IocType type, string first, string second)
    {
        var builder = NewBuilder();
        var definition = builder.Definition(Metadata("Emotet"), "line 2")!;

        Assert.True(builder.Ioc(definition, type, null, first, null, true, null, "line 2"));
        Assert.True(builder.Ioc(definition, type, null, second, null, true, null, "line 3"));

        Assert.Single(definition.Iocs);
    }

    [Fact]
    public void A_free_text_value_repeated_in_another_case_keeps_the_first_spelling()
    {
        var builder = NewBuilder();
        var definition = builder.Definition(Metadata("Emotet"), "line 2")!;

        builder.Ioc(definition, IocType.FileName, null, "Invoice.exe", null, true, null, "line 2");
        builder.Ioc(definition, IocType.FileName, null, "INVOICE.EXE", null, true, null, "line 3");

        Assert.Equal("Invoice.exe", Assert.Single(definition.Iocs).Value);
    }

    [Fact]
    public void The_same_value_with_another_action_is_another_ioc()
    {
        var builder = NewBuilder();
        var definition = builder.Definition(Metadata("Emotet"), "line 2")!;

        builder.Ioc(definition, IocType.DomainName, null, "evil.com", null, true, null, "line 2");
        builder.Ioc(definition, IocType.DomainName, IocAction.Equals, "evil.com", null, true, null, "line 3");

        Assert.Equal([IocAction.EndsWith, IocAction.Equals], definition.Iocs.Select(i => i.Action));
    }

    [Fact]
    public void The_same_value_in_two_definitions_is_kept_in_both()
    {
        var builder = NewBuilder();
        var emotet = builder.Definition(Metadata("Emotet"), "line 2")!;
        var qakbot = builder.Definition(Metadata("Qakbot"), "line 3")!;

        builder.Ioc(emotet, IocType.FileMd5, null, Md5, null, true, null, "line 2");
        builder.Ioc(qakbot, IocType.FileMd5, null, Md5, null, true, null, "line 3");

        Assert.Single(emotet.Iocs);
        Assert.Single(qakbot.Iocs);
    }

    [Fact]
    public void Rows_read_counts_valid_invalid_and_repeated_rows()
    {
        var builder = NewBuilder();
        var definition = builder.Definition(Metadata("Emotet"), "line 2")!;

        builder.Ioc(definition, IocType.FileMd5, null, Md5, null, true, null, "line 2");
        builder.Ioc(definition, IocType.FileMd5, null, Md5, null, true, null, "line 3");
        builder.Ioc(definition, IocType.FileMd5, null, "bad", null, true, null, "line 4");
        builder.Ioc(definition, IocType.FileMd5, IocAction.Contains, Md5, null, true, null, "line 5");

        Assert.Equal(4, builder.Feed.RowsRead);
        Assert.Equal(2, builder.Feed.ErrorCount);
        Assert.Single(definition.Iocs);
    }

    [Fact]
    public void Errors_beyond_the_reporting_limit_are_counted_but_not_kept()
    {
        var builder = new FeedBuilder(new FeedParseOptions(MaxReportedErrors: 3));
        var definition = builder.Definition(Metadata("Emotet"), "line 1")!;

        for (var line = 2; line <= 7; line++)
        {
            builder.Ioc(definition, IocType.FileMd5, null, $"bad{line}", null, true, null, $"line {line}");
        }

        builder.Ioc(definition, IocType.FileMd5, null, Md5, null, true, null, "line 8");
        Assert.Null(builder.Definition(Metadata(""), "line 9"));

        Assert.Equal(7, builder.Feed.ErrorCount);
        Assert.Equal(["line 2", "line 3", "line 4"], builder.Feed.Errors.Select(e => e.Location));
        Assert.Equal(7, builder.Feed.RowsRead);
        Assert.Single(definition.Iocs);
    }

    [Fact]
    public void Reject_records_the_row_and_returns_false()
    {
        var builder = NewBuilder();

        Assert.False(builder.Reject("objects[2]", "[file:size > 5]", "Cannot be represented."));

        Assert.Equal(new FeedRowError("objects[2]", "[file:size > 5]", "Cannot be represented."), Assert.Single(builder.Feed.Errors));
        Assert.Equal(1, builder.Feed.ErrorCount);
        Assert.Equal(0, builder.Feed.RowsRead);
    }

    [Fact]
    public void A_definition_named_again_in_another_case_is_the_same_definition_and_keeps_its_first_metadata()
    {
        var builder = NewBuilder();
        var first = Metadata("Emotet");

        var a = builder.Definition(first, "line 2")!;
        var b = builder.Definition(Metadata(" EMOTET ", Severity.Critical), "line 3")!;
        builder.Ioc(a, IocType.FileMd5, null, Md5, null, true, null, "line 2");
        builder.Ioc(b, IocType.FileSha256, null, Sha256, null, true, null, "line 3");
        builder.Ioc(b, IocType.FileMd5, null, Md5.ToUpperInvariant(), null, true, null, "line 4");

        Assert.Same(a, b);
        Assert.Same(a, Assert.Single(builder.Feed.Definitions));
        Assert.Same(first, a.Metadata);
        Assert.Equal([IocType.FileMd5, IocType.FileSha256], a.Iocs.Select(i => i.Type));
    }

    [Fact]
    public void Replace_metadata_keeps_the_last_metadata_read_for_a_definition()
    {
        var builder = NewBuilder();
        var last = Metadata("EMOTET", Severity.Critical);

        var a = builder.Definition(Metadata("Emotet"), "line 2", replaceMetadata: true)!;
        builder.Ioc(a, IocType.FileMd5, null, Md5, null, true, null, "line 2");
        var b = builder.Definition(last, "line 3", replaceMetadata: true)!;
        builder.Ioc(b, IocType.FileMd5, null, Md5, null, true, null, "line 3");
        builder.Ioc(b, IocType.FileSha256, null, Sha256, null, true, null, "line 3");

        Assert.Same(a, b);
        Assert.Same(a, Assert.Single(builder.Feed.Definitions));
        Assert.Same(last, a.Metadata);
        Assert.Equal([IocType.FileMd5, IocType.FileSha256], a.Iocs.Select(i => i.Type));
        Assert.Empty(builder.Feed.Errors);
    }

    [Fact]
    public void Invalid_metadata_for_a_known_definition_does_not_replace_what_was_read()
    {
        var builder = NewBuilder();
        var first = Metadata("Emotet");

        var definition = builder.Definition(first, "line 2", replaceMetadata: true)!;
        var result = builder.Definition(Metadata("Emotet") with { MitreTechniques = ["X1059"] }, "line 3", replaceMetadata: true);

        Assert.Null(result);
        Assert.Same(first, definition.Metadata);
        Assert.Equal("line 3", Assert.Single(builder.Feed.Errors).Location);
    }

    private static FeedBuilder NewBuilder() => new(new FeedParseOptions());

    private static AlertDefinitionMetadata Metadata(string name, Severity severity = Severity.High) =>
        new(name, "Banking trojan", severity, "Malware", ["T1059.001"], "Block", ["emotet"], true);
}
