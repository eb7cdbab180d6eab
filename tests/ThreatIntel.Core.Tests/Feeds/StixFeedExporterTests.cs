using System.Text;
using System.Text.Json;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Feeds;
using ThreatIntel.Core.Feeds.Formats;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Tests.Feeds;

public class StixFeedExporterTests
{
    private static readonly DateTimeOffset ExportTime = new(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);

    [Fact]
    public async Task Export_then_import_gives_the_same_feed()
    {
        // Hashes, IPs, CIDRs, domain EndsWith/Equals/Contains/Regex, URL StartsWith/Equals, e-mail, FilePath, values with
        // quotes and backslashes, an expiring IOC, a disabled IOC, a described IOC, an empty definition, a definition
        // whose only IOC a pattern cannot express, and one whose IOCs share an expiry.
        var original = await JsonFeedParserTests.ParseAsync(JsonFeedExporterTests.MixedFeed);
        Assert.Empty(original.Errors);

        var exported = await ExportAsync(original.Definitions);
        var reimported = await StixFeedParserTests.ParseAsync(exported);

        Assert.Empty(reimported.Errors);
        JsonFeedAssert.Same(original, reimported, ordered: false);
    }

    [Fact]
    public async Task Stix_fixture_exported_and_imported_again_is_unchanged()
    {
        var original = await StixFeedParserTests.ParseFixtureAsync("stix-poisonivy.json");

        var reimported = await StixFeedParserTests.ParseAsync(await ExportAsync(original.Definitions));

        Assert.Empty(reimported.Errors);
        JsonFeedAssert.Same(original, reimported, ordered: true);
    }

    [Fact]
    public async Task Writes_an_indicator_per_definition_with_a_pattern_other_stix_tools_understand()
    {
        var feed = await JsonFeedParserTests.ParseAsync(JsonFeedExporterTests.MixedFeed);

        using var document = JsonDocument.Parse(await ExportAsync(feed.Definitions));

        var root = document.RootElement;
        Assert.Equal("bundle", root.GetProperty("type").GetString());
        Assert.StartsWith("bundle--", root.GetProperty("id").GetString(), StringComparison.Ordinal);
        var indicators = root.GetProperty("objects").EnumerateArray().ToList();
        Assert.Equal(4, indicators.Count);

        var emotet = indicators[0];
        Assert.Equal("indicator", emotet.GetProperty("type").GetString());
        Assert.Equal("2.1", emotet.GetProperty("spec_version").GetString());
        Assert.Equal(StixFeedExporter.IndicatorId("feed", "Emotet"), emotet.GetProperty("id").GetString());
        Assert.Equal("2026-03-04T05:06:07.890Z", emotet.GetProperty("created").GetString());
        Assert.Equal("2026-03-04T05:06:07.890Z", emotet.GetProperty("modified").GetString());
        Assert.Equal("2026-03-04T05:06:07.890Z", emotet.GetProperty("valid_from").GetString());
        Assert.False(emotet.TryGetProperty("valid_until", out _));
        Assert.Equal("stix", emotet.GetProperty("pattern_type").GetString());
        Assert.Equal(["banking", "naïve ✓"], emotet.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("Critical", emotet.GetProperty("x_threatintel_severity").GetString());
        Assert.Equal(
            [("mitre-attack", "T1059.001", "https://attack.mitre.org/techniques/T1059/001/"), ("mitre-attack", "T1566", "https://attack.mitre.org/techniques/T1566/")],
            emotet.GetProperty("external_references").EnumerateArray().Select(r => (
                r.GetProperty("source_name").GetString(), r.GetProperty("external_id").GetString(), r.GetProperty("url").GetString())));

        Assert.Equal(
            "[file:hashes.'SHA-256' = 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']"
            + " OR [file:hashes.'SHA-1' = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3']"
            + " OR [file:hashes.MD5 = '001dd76872d80801692ff942308c64e6']"
            + " OR [x509-certificate:hashes.'SHA-1' = '0123456789abcdef0123456789abcdef01234567']"
            + " OR [ipv4-addr:value = '198.51.100.7']"
            + " OR [ipv4-addr:value = '198.51.100.0/24']"
            + " OR [ipv6-addr:value = '2001:db8::/32']"
            + " OR [domain-name:value = 'exact.evil.example']"
            + @" OR [domain-name:value MATCHES '^evil[0-9]+\\.example$']"
            + @" OR [url:value = 'https://evil.example/a?b=\'c\'']"
            + " OR [email-addr:value = 'boss@evil.example']"
            + " OR [file:name = 'invoice.pdf.exe']"
            + @" OR [process:command_line = 'cmd /c ""echo it\'s"" \\\\server\\share']"
            + " OR [file:name = 'expiring.exe']"
            + " OR [file:name = 'disabled.exe']"
            + " OR [file:name = 'described.exe']",
            emotet.GetProperty("pattern").GetString());

        Assert.Equal(
            [
                "DomainName EndsWith evil.example",
                "DomainName Contains paypal",
                "Url StartsWith http://evil.example/payload",
                "EmailAddress EndsWith @evil.example",
                @"FilePath Equals C:\Users\Public\evil.exe",
                "ProcessName Contains mimikatz.exe",
                @"RegistryKey StartsWith HKLM\Software\Evil",
                "FileName Equals expiring.exe 2031-02-03T04:05:06.789Z",
                "FileName Equals disabled.exe disabled",
                @"FileName Equals described.exe seen in 'campaign' \ 2024",
            ],
            emotet.GetProperty("x_threatintel_iocs").EnumerateArray().Select(DescribeCarried));

        var empty = indicators[1];
        Assert.Equal("[x-threatintel-empty:value = 'none']", empty.GetProperty("pattern").GetString());
        Assert.False(empty.TryGetProperty("x_threatintel_iocs", out _));
        Assert.False(empty.TryGetProperty("labels", out _));

        Assert.Equal("[x-threatintel-empty:value = 'none']", indicators[2].GetProperty("pattern").GetString());
        Assert.Single(indicators[2].GetProperty("x_threatintel_iocs").EnumerateArray());

        var sameExpiry = indicators[3];
        Assert.Equal("2035-01-01T00:00:00Z", sameExpiry.GetProperty("valid_until").GetString());
        Assert.Equal("[ipv4-addr:value = '192.0.2.1']", sameExpiry.GetProperty("pattern").GetString());
        Assert.Equal(
            ["Url StartsWith http://192.0.2.1/ 2035-01-01T00:00:00Z"],
            sameExpiry.GetProperty("x_threatintel_iocs").EnumerateArray().Select(DescribeCarried));
    }

    [Fact]
    public async Task Exported_patterns_all_parse_back_as_supported()
    {
        var feed = await JsonFeedParserTests.ParseAsync(JsonFeedExporterTests.MixedFeed);

        using var document = JsonDocument.Parse(await ExportAsync(feed.Definitions));

        Assert.All(
            document.RootElement.GetProperty("objects").EnumerateArray(),
            indicator => Assert.True(StixPatternParser.Parse(indicator.GetProperty("pattern").GetString()!).IsSupported));
    }

    [Fact]
    public void Indicator_ids_are_name_based_uuids_that_depend_on_feed_and_definition()
    {
        var id = StixFeedExporter.IndicatorId("feed", "Emotet");

        Assert.Equal(id, StixFeedExporter.IndicatorId("feed", "Emotet"));
        Assert.NotEqual(id, StixFeedExporter.IndicatorId("other-feed", "Emotet"));
        Assert.NotEqual(id, StixFeedExporter.IndicatorId("feed", "Emotet 2"));
        Assert.Matches("^indicator--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);
    }

    [Fact]
    public async Task A_large_definition_is_written_in_pieces_and_read_back_whole()
    {
        var definition = new FeedDefinition(new AlertDefinitionMetadata("Big", null, Severity.High, null, [], null, [], true));
        for (var i = 0; i < 20_000; i++)
        {
            var value = $"10.{i >> 16}.{(i >> 8) & 255}.{i & 255}";
            definition.Iocs.Add(new FeedIoc(IocIdentity.Of(IocType.IpAddress, IocAction.Equals, value), value, null, true, null));
        }

        var reimported = await StixFeedParserTests.ParseAsync(await ExportAsync([definition]));

        Assert.Equal(20_000, Assert.Single(reimported.Definitions).Iocs.Count);
    }

    [Fact]
    public async Task A_stored_definition_carries_its_own_times_so_every_export_writes_the_same_object_version()
    {
        var created = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234);
        var updated = new DateTime(2026, 2, 3, 4, 5, 6, 789, DateTimeKind.Utc);
        var definition = new FeedDefinition(new AlertDefinitionMetadata("Stored", null, Severity.High, null, [], null, [], true))
        {
            CreatedAt = created,
            UpdatedAt = updated,
        };
        definition.Iocs.Add(new FeedIoc(IocIdentity.Of(IocType.IpAddress, IocAction.Equals, "203.0.113.5"), "203.0.113.5", null, true, null));

        using var document = JsonDocument.Parse(await ExportAsync([definition]));

        var indicator = document.RootElement.GetProperty("objects")[0];
        Assert.Equal("2026-01-02T03:04:05.000Z", indicator.GetProperty("created").GetString());
        Assert.Equal("2026-02-03T04:05:06.789Z", indicator.GetProperty("modified").GetString());
        Assert.Equal("2026-01-02T03:04:05.000Z", indicator.GetProperty("valid_from").GetString());
    }

    [Fact]
    public void Content_type_is_that_of_a_stix_push() =>
        Assert.Equal(("application/stix+json", FeedFormat.Stix), (new StixFeedExporter().ContentType, new StixFeedExporter().Format));

    private static async Task<string> ExportAsync(IEnumerable<FeedDefinition> definitions)
    {
        using var output = new MemoryStream();
        await new StixFeedExporter(new FixedTime(ExportTime)).WriteAsync("feed", definitions.ToAsyncEnumerable(), output, CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static string DescribeCarried(JsonElement ioc)
    {
        var text = $"{ioc.GetProperty("type").GetString()} {ioc.GetProperty("action").GetString()} {ioc.GetProperty("value").GetString()}";
        if (ioc.GetProperty("expiresAt").GetString() is { } expiresAt)
        {
            text += " " + expiresAt;
        }

        if (!ioc.GetProperty("enabled").GetBoolean())
        {
            text += " disabled";
        }

        if (ioc.GetProperty("description").GetString() is { } description)
        {
            text += " " + description;
        }

        return text;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
