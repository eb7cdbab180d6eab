using System.Net;
using System.Text;
using System.Text.Json;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Feeds;

/// <summary>An export, pushed back to its feed, changes nothing; in every format, with awkward values.</summary>
public sealed class FeedExportTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private static readonly DateTime Expiry = new(2031, 12, 31, 23, 59, 59, DateTimeKind.Utc);

    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("json", FeedMedia.Json, ".json")]
    [InlineData("stix", FeedMedia.Stix, ".stix.json")]
    public async Task A_lossless_export_pushed_back_to_its_feed_changes_nothing(string format, string mediaType, string extension)
    {
        var feed = $"roundtrip-{format}-{TestData.Token()}";
        var first = await _client.SyncFeedAsync(feed, FeedMedia.Json, RichFeed());
        Assert.Equal(0, first.RejectedCount);
        var before = (await _client.ReadFeedContentAsync(feed)).Fingerprint();

        var (exported, contentType, disposition) = await ExportAsync(feed, format);
        var again = await _client.SyncFeedAsync(feed, contentType, exported);

        Assert.Equal(mediaType, contentType);
        Assert.Contains($"{feed}{extension}", disposition, StringComparison.Ordinal);
        Assert.Equal((0, 0), (again.Changes, again.RejectedCount));
        Assert.Equal((first.DefinitionsCreated, first.IocsCreated), (again.DefinitionsUnchanged, again.IocsUnchanged));
        Assert.Equal(before, (await _client.ReadFeedContentAsync(feed)).Fingerprint());
    }

    [Fact]
    public async Task A_stix_export_is_a_bundle_with_one_indicator_per_definition()
    {
        var feed = "stix-shape-" + TestData.Token();
        var pushed = await _client.SyncFeedAsync(feed, FeedMedia.Json, RichFeed());

        using var bundle = JsonDocument.Parse((await ExportAsync(feed, "stix")).Body);

        Assert.Equal("bundle", bundle.RootElement.GetProperty("type").GetString());
        var indicators = bundle.RootElement.GetProperty("objects").EnumerateArray().ToList();
        Assert.Equal(pushed.DefinitionsCreated, indicators.Count);
        Assert.All(indicators, indicator =>
        {
            Assert.Equal(("indicator", "2.1", "stix"), (indicator.GetProperty("type").GetString(), indicator.GetProperty("spec_version").GetString(), indicator.GetProperty("pattern_type").GetString()));
            Assert.StartsWith("[", indicator.GetProperty("pattern").GetString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_csv_export_pushed_back_to_its_feed_changes_nothing()
    {
        var feed = "roundtrip-csv-" + TestData.Token();
        var name = $"{TestData.Name()}, \"quoted\"";
        var other = TestData.Name("other");
        var csv = new StringBuilder("definition,type,value,action,severity,description,expiresAt\n")
            .Append(Row(name, "FileSha256", TestData.Sha256(), "", "Critical", "plain", ""))
            .Append(Row(name, "DomainName", TestData.Domain(), "", "Critical", "comma, \"quote\" and\nline break", ""))
            .Append(Row(name, "DomainName", $"{TestData.Token()}.example", "Contains", "", "", "2031-12-31T23:59:59Z"))
            .Append(Row(name, "DomainName", @"(?i)^c2-[0-9]+\.example\.net$", "Regex", "", "", ""))
            .Append(Row(name, "IpAddress", "10.20.0.0/16", "", "", "", "2031-06-30T12:00:00.1234567+02:00"))
            .Append(Row(name, "IpAddress", "2001:DB8::5", "", "", "ünïcødé ✓", ""))
            .Append(Row(name, "Url", "http://Evil.Example:80/Gate.php?a=1,2", "", "", "", ""))
            .Append(Row(name, "Url", "/wp-content/evil", "Contains", "", "", ""))
            .Append(Row(name, "EmailAddress", "Phish@Example.org", "", "", "", ""))
            .Append(Row(other, "FilePath", @"C:\Users\Public\evil, ""really"".exe", "EndsWith", "Low", "", ""))
            .Append(Row(other, "CommandLine", "powershell -enc \"SQBFAFgA\", -nop", "Contains", "Low", "=cmd|' /C calc'!A0", ""))
            .Append(Row(other, "RegistryKey", @"HKLM\Software\Microsoft\Windows\CurrentVersion\Run", "StartsWith", "Low", "", ""))
            .Append(Row(other, "CertificateThumbprint", TestData.Sha1().ToUpperInvariant(), "", "Low", "", ""))
            .ToString();
        var first = await _client.SyncFeedAsync(feed, FeedMedia.Csv, csv);
        Assert.Equal((2, 13, 0), (first.DefinitionsCreated, first.IocsCreated, first.RejectedCount));
        var before = (await _client.ReadFeedContentAsync(feed)).Fingerprint();

        var (exported, contentType, disposition) = await ExportAsync(feed, "csv");
        var again = await _client.SyncFeedAsync(feed, contentType, exported);

        Assert.Equal(FeedMedia.Csv, contentType);
        Assert.Contains($"{feed}.csv", disposition, StringComparison.Ordinal);
        Assert.StartsWith("definition,type,value,action,severity,description,expiresAt", Encoding.UTF8.GetString(exported), StringComparison.Ordinal);
        Assert.Equal((0, 0, 2, 13), (again.Changes, again.RejectedCount, again.DefinitionsUnchanged, again.IocsUnchanged));
        Assert.Equal(before, (await _client.ReadFeedContentAsync(feed)).Fingerprint());
    }

    [Fact]
    public async Task Without_a_format_the_export_is_json_that_lists_the_definitions_and_their_iocs()
    {
        var feed = "default-format-" + TestData.Token();
        var name = TestData.Name();
        var md5 = TestData.Md5();
        await _client.SyncFeedAsync(feed, FeedMedia.Csv, $"definition,type,value\n{name},FileMd5,{md5.ToUpperInvariant()}\n");

        var (body, contentType, _) = await ExportAsync(feed, format: null);

        Assert.Equal(FeedMedia.Json, contentType);
        using var document = JsonDocument.Parse(body);
        var definition = Assert.Single(document.RootElement.GetProperty("definitions").EnumerateArray());
        Assert.Equal(name, definition.GetProperty("name").GetString());
        var ioc = Assert.Single(definition.GetProperty("iocs").EnumerateArray());
        Assert.Equal(("FileMd5", md5, "Equals"), (ioc.GetProperty("type").GetString(), ioc.GetProperty("value").GetString(), ioc.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Exporting_an_unknown_feed_is_a_404_naming_it()
    {
        foreach (var format in new[] { "json", "csv", "stix" })
        {
            var feed = "never-pushed-" + TestData.Token();
            var problem = await (await _client.GetAsync(FeedRoutes.Export(feed, format))).ReadAsync<ProblemDto>(HttpStatusCode.NotFound);
            Assert.Equal(404, problem.Status);
            Assert.Contains(feed, problem.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Export_errors_are_problem_json_with_a_detail_like_every_other_error()
    {
        // [Produces(json, csv, stix)] on the export action makes its 404 and 400 problems application/json (and
        // Swagger document them as json/csv/stix); the 400 also lacks a detail.
        var feed = "problem-" + TestData.Token();
        await (await _client.GetAsync(FeedRoutes.Export(feed, "csv"))).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await _client.GetAsync(FeedRoutes.Export(feed, "xml"))).ReadValidationErrorsAsync("format");
    }

    [Theory]
    [InlineData("xml")]
    [InlineData("stix2")]
    [InlineData("JSONL")]
    public async Task An_export_format_other_than_json_csv_or_stix_is_a_400_naming_format(string format)
    {
        var feed = "bad-format-" + TestData.Token();
        await _client.SyncFeedAsync(feed, FeedMedia.Csv, $"definition,type,value\n{TestData.Name()},FileMd5,{TestData.Md5()}\n");

        await (await _client.GetAsync(FeedRoutes.Export(feed, format))).ReadFieldErrorsAsync(problemMediaType: false, "format");
    }

    private async Task<(byte[] Body, string ContentType, string Disposition)> ExportAsync(string feed, string? format)
    {
        var response = await _client.GetAsync(FeedRoutes.Export(feed, format));
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return (
            await response.Content.ReadAsByteArrayAsync(),
            response.Content.Headers.ContentType?.MediaType ?? "(none)",
            response.Content.Headers.ContentDisposition?.ToString() ?? "(none)");
    }

    private static string Row(params string[] fields) =>
        string.Join(',', fields.Select(f => f.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{f.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : f)) + "\n";

    /// <summary>
    /// Every definition field, every IOC type and action the contract allows, disabled and expiring IOCs, a
    /// definition without IOCs and one whose IOCs all expire together (STIX's <c>valid_until</c>).
    /// </summary>
    private static string RichFeed() => FeedTestClient.JsonFeed(
        new
        {
            name = $"{TestData.Name("Everything")} \"quoted\", with comma",
            description = "Line one\nline two, with \"quotes\" and ünïcødé ✓",
            severity = "Critical",
            category = "Malware",
            mitreTechniques = new[] { "T1059.001", "T1071" },
            recommendedActions = "Isolate; then reimage.",
            tags = new[] { "apt", "loader" },
            enabled = true,
            iocs = new object[]
            {
                new { type = "FileSha256", value = TestData.Sha256() },
                new { type = "FileSha1", value = TestData.Sha1(), description = "dropper, stage 1" },
                new { type = "FileMd5", value = TestData.Md5(), enabled = false },
                new { type = "CertificateThumbprint", value = TestData.Sha1() },
                new { type = "IpAddress", value = TestData.IPv4(), expiresAt = Expiry },
                new { type = "IpAddress", value = "2001:db8::7" },
                new { type = "IpAddress", value = "10.30.0.0/16", action = "InRange" },
                new { type = "IpAddress", value = "2001:db8:abcd::/48", action = "InRange" },
                new { type = "DomainName", value = TestData.Domain(), action = "EndsWith" },
                new { type = "DomainName", value = TestData.Domain(), action = "Equals" },
                new { type = "DomainName", value = "bad-" + TestData.Token(), action = "Contains" },
                new { type = "DomainName", value = @"(?i)^c2-[0-9]+\.example\.org$", action = "Regex" },
                new { type = "Url", value = $"http://{TestData.Domain()}/gate.php?id=1&x='y'", action = "Equals" },
                new { type = "Url", value = $"https://{TestData.Domain()}/path", action = "StartsWith" },
                new { type = "Url", value = "/admin/config.php", action = "Contains" },
                new { type = "Url", value = @"^https?://[a-z]+\.example/[0-9]{4}$", action = "Regex" },
                new { type = "EmailAddress", value = $"phish-{TestData.Token()}@example.org", action = "Equals" },
                new { type = "EmailAddress", value = "@bad.example", action = "EndsWith" },
                new { type = "FileName", value = "invoice.pdf.exe", action = "Equals" },
                new { type = "FileName", value = "mimikatz", action = "Contains" },
                new { type = "FileName", value = "~$tmp", action = "StartsWith" },
                new { type = "FileName", value = ".scr", action = "EndsWith" },
                new { type = "FileName", value = @"^[0-9a-f]{8}\.dll$", action = "Regex" },
                new { type = "FilePath", value = @"C:\Users\Public\it's ""here"".exe", action = "Equals" },
                new { type = "ProcessName", value = "rundll32.exe", action = "Equals" },
                new { type = "CommandLine", value = "powershell -enc 'SQBFAFgA' \"x\"", action = "Contains" },
                new { type = "RegistryKey", value = @"HKLM\Software\Microsoft\Windows\CurrentVersion\Run", action = "StartsWith" },
            },
        },
        new
        {
            name = TestData.Name("Expiring together"),
            severity = "Low",
            iocs = new object[]
            {
                new { type = "FileMd5", value = TestData.Md5(), expiresAt = Expiry },
                new { type = "DomainName", value = TestData.Domain(), expiresAt = Expiry },
            },
        },
        new { name = TestData.Name("No IOCs yet"), severity = "Informational", enabled = false, iocs = Array.Empty<object>() });
}
