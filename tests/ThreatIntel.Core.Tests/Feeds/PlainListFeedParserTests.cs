using System.Text;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Feeds;
using ThreatIntel.Core.Feeds.Formats;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Tests.Feeds;

public class PlainListFeedParserTests
{
    private static readonly FeedParseOptions Emotet = new(DefinitionName: "Emotet");

    [Fact]
    public void Is_the_plain_list_format() => Assert.Equal(FeedFormat.PlainList, new PlainListFeedParser().Format);

    [Fact]
    public async Task Every_value_becomes_an_ioc_of_the_definition_named_in_the_query()
    {
        var feed = await Parse(
            "evil.com\n" +
            "10.0.0.1\n" +
            "10.0.0.0/8\n" +
            "http://evil.com/gate.php\n" +
            "d41d8cd98f00b204e9800998ecf8427e\n",
            new FeedParseOptions(DefinitionName: "  Emotet  ", Severity: Severity.High));

        CsvFeeds.NoErrors(feed);
        var definition = Assert.Single(feed.Definitions);
        Assert.Equal(("Emotet", Severity.High, true), (definition.Metadata.Name, definition.Metadata.Severity, definition.Metadata.Enabled));
        Assert.Equal(
            [
                (IocType.DomainName, IocAction.EndsWith, "evil.com"),
                (IocType.IpAddress, IocAction.Equals, "10.0.0.1"),
                (IocType.IpAddress, IocAction.InRange, "10.0.0.0/8"),
                (IocType.Url, IocAction.StartsWith, "http://evil.com/gate.php"),
                (IocType.FileMd5, IocAction.Equals, "d41d8cd98f00b204e9800998ecf8427e"),
            ],
            definition.Iocs.Select(ioc => (ioc.Type, ioc.Action, ioc.Value)));
        Assert.All(definition.Iocs, ioc => Assert.True(ioc.Enabled && ioc.ExpiresAt is null && ioc.Description is null));
        Assert.Equal(5, feed.RowsRead);
    }

    [Fact]
    public async Task The_severity_is_medium_when_the_query_gives_none()
    {
        var feed = await Parse("evil.com\n", Emotet);

        Assert.Equal(Severity.Medium, Assert.Single(feed.Definitions).Metadata.Severity);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Without_a_definition_name_nothing_is_read_and_the_query_is_blamed(string? name)
    {
        var feed = await Parse("evil.com\n", new FeedParseOptions(DefinitionName: name));

        var error = Assert.Single(feed.Errors);
        Assert.Equal("query definition", error.Location);
        Assert.Equal("A plain list needs ?definition= naming its alert definition.", error.Reason);
        Assert.Empty(feed.Definitions);
        Assert.Equal(0, feed.RowsRead);
    }

    [Fact]
    public async Task A_definition_name_over_the_limit_is_blamed_on_the_query()
    {
        var feed = await Parse("evil.com\n", new FeedParseOptions(DefinitionName: new string('a', FieldLimits.DefinitionNameMaxLength + 1)));

        var error = Assert.Single(feed.Errors);
        Assert.Equal("query definition", error.Location);
        Assert.StartsWith("name:", error.Reason, StringComparison.Ordinal);
        Assert.Empty(feed.Definitions);
    }

    [Fact]
    public async Task An_empty_list_is_the_definition_without_iocs()
    {
        var feed = await Parse("# nothing yet\n\n", Emotet);

        CsvFeeds.NoErrors(feed);
        Assert.Empty(Assert.Single(feed.Definitions).Iocs);
        Assert.Equal(0, feed.RowsRead);
    }

    [Fact]
    public async Task Comments_and_blank_lines_are_skipped_and_trailing_comments_dropped()
    {
        var feed = await Parse(
            "# Reference: https://example.org/report\n" +
            "   # indented comment\n" +
            "\n" +
            "   \t  \n" +
            "evil.com # botnet C2\n" +
            "10.0.0.1\t# tab before the hash\n" +
            "http://evil.com/#fragment\n" +
            "bad.com#not-a-comment\n",
            Emotet);

        var definition = Assert.Single(feed.Definitions);
        Assert.Equal(["evil.com", "10.0.0.1", "http://evil.com/#fragment"], definition.Iocs.Select(ioc => ioc.Value));
        Assert.All(definition.Iocs, ioc => Assert.Null(ioc.Description));
        var error = Assert.Single(feed.Errors);
        Assert.Equal(("line 8", "bad.com#not-a-comment"), (error.Location, error.Value));
        Assert.Equal(4, feed.RowsRead);
    }

    [Fact]
    public async Task Text_after_a_semicolon_is_the_description()
    {
        var feed = await Parse(
            "d41d8cd98f00b204e9800998ecf8427e;DEEP PANDA Sakula Malware - http://goo.gl/R3e6eG\n" +
            "176.123.5.126;65\n" +
            "evil.com ;  spaced out  \n" +
            "da39a3ee5e6b4b0d3255bfef95601890afd80709;\n",
            Emotet);

        CsvFeeds.NoErrors(feed);
        Assert.Equal(
            [
                ("d41d8cd98f00b204e9800998ecf8427e", "DEEP PANDA Sakula Malware - http://goo.gl/R3e6eG"),
                ("176.123.5.126", "65"),
                ("evil.com", "spaced out"),
                ("da39a3ee5e6b4b0d3255bfef95601890afd80709", null),
            ],
            Assert.Single(feed.Definitions).Iocs.Select(ioc => (ioc.Value, ioc.Description)));
    }

    [Fact]
    public async Task A_semicolon_in_a_url_stays_part_of_the_url()
    {
        var feed = await Parse("http://evil.com/a;jsessionid=1\nevil.com/b;c\n", Emotet);

        CsvFeeds.NoErrors(feed);
        Assert.Equal(
            [("http://evil.com/a;jsessionid=1", null), ("evil.com/b;c", null)],
            Assert.Single(feed.Definitions).Iocs.Select(ioc => (ioc.Value, ioc.Description)));
    }

    [Fact]
    public async Task A_long_description_is_cut_to_the_limit()
    {
        var feed = await Parse($"evil.com;{new string('x', 1500)}\n", Emotet);

        CsvFeeds.NoErrors(feed);
        Assert.Equal(FieldLimits.IocDescriptionMaxLength, Assert.Single(Assert.Single(feed.Definitions).Iocs).Description!.Length);
    }

    [Fact]
    public async Task A_cut_never_splits_a_surrogate_pair()
    {
        var description = new string('x', FieldLimits.IocDescriptionMaxLength - 1) + "😀tail";
        var feed = await Parse($"evil.com;{description}\n", Emotet);

        var kept = Assert.Single(Assert.Single(feed.Definitions).Iocs).Description!;
        Assert.Equal(FieldLimits.IocDescriptionMaxLength - 1, kept.Length);
        Assert.False(char.IsHighSurrogate(kept[^1]));
    }

    [Fact]
    public async Task Undetectable_and_invalid_values_are_rejected_by_line_and_the_rest_kept()
    {
        var feed = await Parse(
            "evil.com\n" +
            "\n" +
            "xyz\n" +
            "10.0.0.1/8\n" +
            ";only a description\n" +
            "/gate.php\n" +
            "good.org\n",
            Emotet);

        Assert.Equal(
            [("line 3", "xyz"), ("line 4", "10.0.0.1/8"), ("line 5", null), ("line 6", "/gate.php")],
            feed.Errors.Select(error => (error.Location, error.Value)));
        Assert.Contains("Cannot tell the type of 'xyz'", feed.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("host bits set", feed.Errors[1].Reason, StringComparison.Ordinal);
        Assert.Contains("no value", feed.Errors[2].Reason, StringComparison.Ordinal);
        Assert.Equal(["evil.com", "good.org"], Assert.Single(feed.Definitions).Iocs.Select(ioc => ioc.Value));
        Assert.Equal(6, feed.RowsRead);
    }

    [Fact]
    public async Task Ports_are_dropped_and_repeats_kept_once()
    {
        var feed = await Parse(
            "139.99.38.193:5505\n" +
            "139.99.38.193:443\n" +
            "139.99.38.193\n" +
            "Evil.com:8080\n" +
            "evil.com\n" +
            "EVIL.COM.\n",
            Emotet);

        CsvFeeds.NoErrors(feed);
        Assert.Equal(["139.99.38.193", "evil.com"], Assert.Single(feed.Definitions).Iocs.Select(ioc => ioc.Value));
        Assert.Equal(6, feed.RowsRead);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public async Task Line_numbers_count_physical_lines_whatever_the_line_end(string newLine)
    {
        var feed = await Parse(string.Join(newLine, "# header", "evil.com", string.Empty, "xyz", "10.0.0.1"), Emotet);

        Assert.Equal("line 4", Assert.Single(feed.Errors).Location);
        Assert.Equal(2, Assert.Single(feed.Definitions).Iocs.Count);
    }

    [Fact]
    public async Task A_utf8_byte_order_mark_is_skipped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("evil.com\n")).ToArray();
        using var body = new MemoryStream(bytes);

        var feed = await new PlainListFeedParser().ParseAsync(body, Emotet, CancellationToken.None);

        CsvFeeds.NoErrors(feed);
        Assert.Equal("evil.com", Assert.Single(Assert.Single(feed.Definitions).Iocs).Value);
        Assert.True(body.CanRead);
    }

    [Fact]
    public async Task Reads_the_body_without_synchronous_io()
    {
        var lines = string.Concat(Enumerable.Range(0, 5_000).Select(i => $"10.0.{i / 256}.{i % 256}\n"));
        await using var body = new NoSyncIoStream(new MemoryStream(Encoding.UTF8.GetBytes(lines)));

        var feed = await new PlainListFeedParser().ParseAsync(body, Emotet, CancellationToken.None);

        CsvFeeds.NoErrors(feed);
        Assert.Equal(5_000, Assert.Single(feed.Definitions).Iocs.Count);
    }

    [Fact]
    public async Task A_cancelled_parse_throws()
    {
        using var body = new MemoryStream(Encoding.UTF8.GetBytes("evil.com\n"));
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new PlainListFeedParser().ParseAsync(body, Emotet, cancellation.Token));
    }

    [Fact]
    public async Task The_signature_base_hash_list_parses_without_a_rejected_line()
    {
        var feed = await ParseFixture("signature-base-hash-iocs.txt", "signature-base hashes");

        CsvFeeds.NoErrors(feed);
        Assert.Equal(166, feed.RowsRead);
        var iocs = Assert.Single(feed.Definitions).Iocs;
        Assert.Equal(
            new Dictionary<IocType, int> { [IocType.FileMd5] = 81, [IocType.FileSha256] = 50, [IocType.FileSha1] = 13 },
            iocs.GroupBy(ioc => ioc.Type).ToDictionary(group => group.Key, group => group.Count()));
        Assert.All(iocs, ioc => Assert.Equal(IocAction.Equals, ioc.Action));
        Assert.All(iocs, ioc => Assert.False(string.IsNullOrEmpty(ioc.Description)));
        Assert.Equal(
            ("ce583821191345274cd954b2db7da9742c239fe413fc17dcb97ffdd7b51cb072", "Dark Caracal - MS Windows HtmlHelp Data"),
            (iocs[0].Value, iocs[0].Description));
    }

    [Fact]
    public async Task The_signature_base_c2_list_parses_without_a_rejected_line()
    {
        var feed = await ParseFixture("signature-base-c2-iocs.txt", "signature-base C2");

        CsvFeeds.NoErrors(feed);
        Assert.Equal(150, feed.RowsRead);
        var iocs = Assert.Single(feed.Definitions).Iocs;
        Assert.Equal(
            new Dictionary<(IocType, IocAction), int>
            {
                [(IocType.DomainName, IocAction.EndsWith)] = 109,
                [(IocType.IpAddress, IocAction.Equals)] = 41,
            },
            iocs.GroupBy(ioc => (ioc.Type, ioc.Action)).ToDictionary(group => group.Key, group => group.Count()));
        Assert.Equal(["suroot.com", "58.64.143.244", "effers.com"], iocs.Take(3).Select(ioc => ioc.Value));
    }

    [Fact]
    public async Task The_full_signature_base_lists_parse_without_a_rejected_line_when_present()
    {
        // The complete files (about 5,000 lines) live in the shared data folder beside the repository, when it is there.
        foreach (var name in new[] { "hash-iocs.txt", "c2-iocs.txt" })
        {
            var path = Path.Combine(CsvFeeds.RepositoryRoot(), "..", "shared", "data", "signature-base", name);
            if (!File.Exists(path))
            {
                continue;
            }

            await using var body = File.OpenRead(path);
            var feed = await new PlainListFeedParser().ParseAsync(body, Emotet, CancellationToken.None);

            CsvFeeds.NoErrors(feed);
            Assert.True(feed.RowsRead > 1000, $"{name}: only {feed.RowsRead} rows read.");
        }
    }

    private static async Task<ParsedFeed> Parse(string text, FeedParseOptions options)
    {
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return await new PlainListFeedParser().ParseAsync(body, options, CancellationToken.None);
    }

    private static async Task<ParsedFeed> ParseFixture(string name, string definition)
    {
        await using var body = File.OpenRead(CsvFeeds.FixturePath(name));
        return await new PlainListFeedParser().ParseAsync(body, new FeedParseOptions(DefinitionName: definition), CancellationToken.None);
    }
}
