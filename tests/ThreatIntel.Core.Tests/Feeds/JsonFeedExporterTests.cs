using System.Runtime.CompilerServices;
using System.Text.Json;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Feeds;
using ThreatIntel.Core.Feeds.Formats;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Tests.Feeds;

public class JsonFeedExporterTests
{
    /// <summary>Every field, every IOC type, and the values that need escaping.</summary>
    internal const string MixedFeed = """
        { "definitions": [
          {
            "name": "Emotet", "description": "Loader \"quoted\" and it's <b>bold</b>", "severity": "Critical",
            "category": "Malware", "mitreTechniques": ["T1059.001", "T1566"], "recommendedActions": "Isolate\nthe host",
            "tags": ["banking", "naïve ✓"], "enabled": false,
            "iocs": [
              { "type": "FileSha256", "value": "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c" },
              { "type": "FileSha1", "value": "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3" },
              { "type": "FileMd5", "value": "001dd76872d80801692ff942308c64e6" },
              { "type": "CertificateThumbprint", "value": "0123456789abcdef0123456789abcdef01234567" },
              { "type": "IpAddress", "value": "198.51.100.7" },
              { "type": "IpAddress", "value": "198.51.100.0/24" },
              { "type": "IpAddress", "value": "2001:db8::/32" },
              { "type": "DomainName", "value": "evil.example", "action": "EndsWith" },
              { "type": "DomainName", "value": "exact.evil.example", "action": "Equals" },
              { "type": "DomainName", "value": "paypal", "action": "Contains" },
              { "type": "DomainName", "value": "^evil[0-9]+\\.example$", "action": "Regex" },
              { "type": "Url", "value": "http://evil.example/payload", "action": "StartsWith" },
              { "type": "Url", "value": "https://evil.example/a?b='c'", "action": "Equals" },
              { "type": "EmailAddress", "value": "boss@evil.example" },
              { "type": "EmailAddress", "value": "@evil.example", "action": "EndsWith" },
              { "type": "FileName", "value": "invoice.pdf.exe" },
              { "type": "FilePath", "value": "C:\\Users\\Public\\evil.exe" },
              { "type": "ProcessName", "value": "mimikatz.exe", "action": "Contains" },
              { "type": "CommandLine", "value": "cmd /c \"echo it's\" \\\\server\\share", "action": "Equals" },
              { "type": "RegistryKey", "value": "HKLM\\Software\\Evil", "action": "StartsWith" },
              { "type": "FileName", "value": "expiring.exe", "expiresAt": "2031-02-03T04:05:06.789Z" },
              { "type": "FileName", "value": "disabled.exe", "enabled": false },
              { "type": "FileName", "value": "described.exe", "description": "seen in 'campaign' \\ 2024" }
            ]
          },
          { "name": "Empty", "severity": "Informational", "iocs": [] },
          { "name": "Only odd IOCs", "iocs": [ { "type": "Url", "value": "evil.example/x", "action": "Contains" } ] },
          { "name": "Same expiry", "severity": "Low", "iocs": [
              { "type": "IpAddress", "value": "192.0.2.1", "expiresAt": "2035-01-01T00:00:00Z" },
              { "type": "Url", "value": "http://192.0.2.1/", "action": "StartsWith", "expiresAt": "2035-01-01T00:00:00Z" }
          ] }
        ] }
        """;

    [Fact]
    public async Task Export_then_import_gives_the_same_feed()
    {
        var original = await JsonFeedParserTests.ParseAsync(MixedFeed);
        Assert.Empty(original.Errors);

        var exported = await ExportAsync(original);
        var reimported = await JsonFeedParserTests.ParseAsync(exported);

        Assert.Empty(reimported.Errors);
        JsonFeedAssert.Same(original, reimported, ordered: true);
    }

    [Fact]
    public async Task Writes_every_field_with_times_in_utc()
    {
        var feed = await JsonFeedParserTests.ParseAsync("""
            { "definitions": [ { "name": "A", "iocs": [
              { "type": "FileName", "value": "a.exe", "expiresAt": "2030-01-31T12:00:00+00:00" },
              { "type": "FileName", "value": "b.exe", "description": "d", "enabled": false }
            ] } ] }
            """);

        using var document = JsonDocument.Parse(await ExportAsync(feed));

        var definition = Assert.Single(document.RootElement.GetProperty("definitions").EnumerateArray());
        Assert.Equal(
            ["name", "description", "severity", "category", "mitreTechniques", "recommendedActions", "tags", "enabled", "iocs"],
            definition.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Medium", definition.GetProperty("severity").GetString());
        Assert.Equal(JsonValueKind.Null, definition.GetProperty("description").ValueKind);
        Assert.True(definition.GetProperty("enabled").GetBoolean());
        var iocs = definition.GetProperty("iocs").EnumerateArray().ToList();
        Assert.Equal(
            ["type", "value", "action", "description", "enabled", "expiresAt"],
            iocs[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("2030-01-31T12:00:00Z", iocs[0].GetProperty("expiresAt").GetString());
        Assert.Equal("Equals", iocs[0].GetProperty("action").GetString());
        Assert.Equal(JsonValueKind.Null, iocs[1].GetProperty("expiresAt").ValueKind);
        Assert.Equal("d", iocs[1].GetProperty("description").GetString());
        Assert.False(iocs[1].GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Times_of_unspecified_kind_from_the_database_are_written_as_utc()
    {
        var definition = new FeedDefinition(new AlertDefinitionMetadata("A", null, Severity.Low, null, [], null, [], true));
        definition.Iocs.Add(new FeedIoc(
            IocIdentity.Of(IocType.FileName, IocAction.Equals, "a.exe"), "a.exe", null, true, new DateTime(2030, 5, 6, 7, 8, 9, 123, DateTimeKind.Unspecified)));

        var json = await ExportAsync([definition]);

        Assert.Contains("\"expiresAt\": \"2030-05-06T07:08:09.123Z\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_definition_reaches_the_output_before_the_next_is_asked_for()
    {
        var feed = await JsonFeedParserTests.ParseAsync(MixedFeed);
        using var output = new MemoryStream();
        var lengthsSeen = new List<long>();

        await new JsonFeedExporter().WriteAsync("feed", Observe(feed.Definitions, output, lengthsSeen), output, CancellationToken.None);

        Assert.Equal(feed.Definitions.Count, lengthsSeen.Count);
        Assert.Equal(0, lengthsSeen[0]);
        Assert.True(lengthsSeen.Skip(1).Zip(lengthsSeen).All(pair => pair.First > pair.Second), string.Join(", ", lengthsSeen));
    }

    [Fact]
    public void Content_type_is_that_of_a_json_push() =>
        Assert.Equal(("application/json", FeedFormat.Json), (new JsonFeedExporter().ContentType, new JsonFeedExporter().Format));

    internal static Task<string> ExportAsync(ParsedFeed feed) => ExportAsync(feed.Definitions);

    internal static async Task<string> ExportAsync(IEnumerable<FeedDefinition> definitions)
    {
        using var output = new MemoryStream();
        await new JsonFeedExporter().WriteAsync("feed", definitions.ToAsyncEnumerable(), output, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(output.ToArray());
    }

    private static async IAsyncEnumerable<FeedDefinition> Observe(
        IEnumerable<FeedDefinition> definitions, MemoryStream output, List<long> lengths, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var definition in definitions)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            lengths.Add(output.Length);
            yield return definition;
        }
    }
}

/// <summary>Compares parsed feeds field by field (metadata lists by content, IOCs by every field).</summary>
internal static class JsonFeedAssert
{
    public static void Same(ParsedFeed expected, ParsedFeed actual, bool ordered)
    {
        Assert.Equal(expected.Definitions.Select(d => d.Metadata.Name.Trim()), actual.Definitions.Select(d => d.Metadata.Name));
        foreach (var (want, got) in expected.Definitions.Zip(actual.Definitions))
        {
            var (w, g) = (want.Metadata, got.Metadata);
            Assert.Equal(
                (w.Description, w.Severity, w.Category, w.RecommendedActions, w.Enabled),
                (g.Description, g.Severity, g.Category, g.RecommendedActions, g.Enabled));
            Assert.Equal(w.MitreTechniques.Select(t => t.ToUpperInvariant()), g.MitreTechniques.Select(t => t.ToUpperInvariant()));
            Assert.Equal(w.Tags, g.Tags);

            var wantIocs = want.Iocs.Select(Describe).ToList();
            var gotIocs = got.Iocs.Select(Describe).ToList();
            if (!ordered)
            {
                wantIocs.Sort(StringComparer.Ordinal);
                gotIocs.Sort(StringComparer.Ordinal);
            }

            Assert.Equal(wantIocs, gotIocs);
        }
    }

    private static string Describe(FeedIoc ioc) =>
        $"{ioc.Type} {ioc.Action} {ioc.Value} | {ioc.Description ?? "<null>"} | {ioc.Enabled} | {ioc.ExpiresAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "never"} | {ioc.Identity.GetHashCode()}";
}
