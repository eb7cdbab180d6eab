using System.Text;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Feeds;
using ThreatIntel.Core.Feeds.Formats;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Tests.Feeds;

public class CsvFeedExporterTests
{
    [Fact]
    public void Is_the_csv_format_with_the_text_csv_media_type()
    {
        var exporter = new CsvFeedExporter();

        Assert.Equal(FeedFormat.Csv, exporter.Format);
        Assert.Equal("text/csv", exporter.ContentType);
    }

    [Fact]
    public async Task Writes_the_header_then_one_row_per_ioc_with_every_action_explicit()
    {
        var emotet = Definition("Emotet", Severity.High);
        emotet.Iocs.Add(Ioc(IocType.DomainName, IocAction.EndsWith, "evil.com", "C2", new DateTime(2026, 12, 31, 23, 59, 59, DateTimeKind.Utc)));
        emotet.Iocs.Add(Ioc(IocType.IpAddress, IocAction.Equals, "10.0.0.1"));

        var csv = await Export(emotet);

        Assert.Equal(
            "definition,type,value,action,severity,description,expiresAt\r\n" +
            "Emotet,DomainName,evil.com,EndsWith,High,C2,2026-12-31T23:59:59.0000000Z\r\n" +
            "Emotet,IpAddress,10.0.0.1,Equals,High,,\r\n",
            csv);
    }

    [Fact]
    public async Task Quotes_fields_with_commas_quotes_and_line_breaks()
    {
        var definition = Definition("Emotet, epoch \"5\"", Severity.Low);
        definition.Iocs.Add(Ioc(IocType.Url, IocAction.StartsWith, "http://evil.com/a,b", "line one\r\nline \"two\""));

        var csv = await Export(definition);

        Assert.EndsWith(
            "\"Emotet, epoch \"\"5\"\"\",Url,\"http://evil.com/a,b\",StartsWith,Low,\"line one\r\nline \"\"two\"\"\",\r\n",
            csv,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_definition_without_iocs_is_not_in_the_output()
    {
        var empty = Definition("Empty", Severity.Medium);
        var full = Definition("Full", Severity.Medium);
        full.Iocs.Add(Ioc(IocType.IpAddress, IocAction.Equals, "10.0.0.1"));

        var csv = await Export(empty, full);

        Assert.DoesNotContain("Empty", csv, StringComparison.Ordinal);
        Assert.Equal(2, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task An_empty_feed_is_the_header_alone()
    {
        var csv = await Export();

        Assert.Equal("definition,type,value,action,severity,description,expiresAt\r\n", csv);
    }

    [Theory]
    [InlineData(DateTimeKind.Utc)]
    [InlineData(DateTimeKind.Unspecified)]
    public void An_expiry_is_written_in_utc_with_seven_fraction_digits_and_z(DateTimeKind kind) =>
        Assert.Equal(
            "2026-01-02T03:04:05.1234567Z",
            CsvFeedExporter.FormatExpiry(new DateTime(2026, 1, 2, 3, 4, 5, kind).AddTicks(1_234_567)));

    [Fact]
    public void A_local_expiry_is_converted_to_utc()
    {
        var utc = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

        Assert.Equal("2026-01-02T03:04:05.0000000Z", CsvFeedExporter.FormatExpiry(utc.ToLocalTime()));
    }

    [Fact]
    public async Task The_output_stream_is_left_open()
    {
        using var output = new MemoryStream();

        await new CsvFeedExporter().WriteAsync("feed", Definitions(), output, CancellationToken.None);

        Assert.True(output.CanWrite);
    }

    [Fact]
    public async Task Writes_without_synchronous_io()
    {
        var definition = Definition("Emotet", Severity.High);
        for (var i = 0; i < 5_000; i++)
        {
            definition.Iocs.Add(Ioc(IocType.IpAddress, IocAction.Equals, $"10.0.{i / 256}.{i % 256}", "a description long enough to fill buffers"));
        }

        using var inner = new MemoryStream();
        await using (var output = new NoSyncIoStream(inner))
        {
            await new CsvFeedExporter().WriteAsync("feed", Definitions(definition), output, CancellationToken.None);
        }

        Assert.Equal(5_001, Encoding.UTF8.GetString(inner.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Parse_export_parse_gives_the_same_definitions_and_iocs()
    {
        const string Csv =
            "Severity,Value,Type,Definition,Action,ExpiresAt,Description,source\n" +
            "High,Evil.COM,DomainName,Emotet,,2026-12-31T23:59:59+02:00,\"C2, \"\"main\"\"\",x\n" +
            ",HTTP://Evil.COM:80/Gate.php?id=1,Url,Emotet,,,\"two\nlines\",x\n" +
            ",10.0.0.0/8,IpAddress,Emotet,,,,x\n" +
            ",2001:DB8::1,IpAddress,Emotet,Equals,,,x\n" +
            "Low,E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855,FileSha256,\"Qakbot, 2024\",,,,x\n" +
            ",boss@Evil.com,EmailAddress,\"Qakbot, 2024\",,,,x\n" +
            ",@evil.com,EmailAddress,\"Qakbot, 2024\",EndsWith,,,x\n" +
            ",(?i)^evil[0-9]+\\.exe$,ProcessName,\"Qakbot, 2024\",Regex,,,x\n" +
            ",C:\\Users\\Public\\x.exe,FilePath,\"Qakbot, 2024\",Equals,,,x\n" +
            ",=cmd|' /C calc'!A0,CommandLine,\"Qakbot, 2024\",Contains,,,x\n";
        var first = await CsvFeeds.Parse(Csv);
        CsvFeeds.NoErrors(first);

        var exported = await Export([.. first.Definitions]);
        var second = await CsvFeeds.Parse(exported);

        CsvFeeds.NoErrors(second);
        Assert.Equal(Snapshot(first), Snapshot(second));
        Assert.Equal(10, second.Definitions.Sum(definition => definition.Iocs.Count));
        Assert.Equal(exported, await Export([.. second.Definitions]));
    }

    [Fact]
    public async Task The_maltrail_slice_survives_a_round_trip()
    {
        var first = await CsvFeeds.Parse(await File.ReadAllBytesAsync(CsvFeeds.FixturePath("maltrail-slice.csv")));

        var second = await CsvFeeds.Parse(await Export([.. first.Definitions]));

        CsvFeeds.NoErrors(second);
        var expected = Snapshot(first).Where(line => !line.EndsWith(", 0 IOCs)", StringComparison.Ordinal));
        Assert.Equal(expected, Snapshot(second));
        Assert.Equal(181, second.Definitions.Sum(definition => definition.Iocs.Count));
    }

    /// <summary>Each definition with its IOCs, one line each, in order.</summary>
    private static List<string> Snapshot(ParsedFeed feed) =>
        [.. feed.Definitions.SelectMany(definition => definition.Iocs
            .Select(ioc => $"  {ioc.Type} {ioc.Action} [{ioc.Value}] [{ioc.Description}] {ioc.ExpiresAt:O} {ioc.Enabled}")
            .Prepend($"{definition.Metadata.Name} ({definition.Metadata.Severity}, {definition.Iocs.Count} IOCs)"))];

    private static FeedDefinition Definition(string name, Severity severity) =>
        new(new AlertDefinitionMetadata(name, "ignored by CSV", severity, "category", ["T1059"], "act", ["tag"], Enabled: true));

    private static FeedIoc Ioc(IocType type, IocAction action, string value, string? description = null, DateTime? expiresAt = null) =>
        new(IocIdentity.Of(type, action, value), value, description, Enabled: true, expiresAt);

    private static async Task<string> Export(params FeedDefinition[] definitions)
    {
        using var output = new MemoryStream();
        await new CsvFeedExporter().WriteAsync("feed", Definitions(definitions), output, CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static async IAsyncEnumerable<FeedDefinition> Definitions(params FeedDefinition[] definitions)
    {
        foreach (var definition in definitions)
        {
            await Task.Yield();
            yield return definition;
        }
    }
}
