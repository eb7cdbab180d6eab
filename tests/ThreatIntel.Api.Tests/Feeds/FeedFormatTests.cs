using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Feeds;

/// <summary>
/// Every push format through the API with real, public feeds (the core tests' fixtures; see their README). The STIX
/// and CSV fixtures name their definitions themselves and names are unique across the service, so each is pushed to
/// one feed only.
/// </summary>
public sealed class FeedFormatTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task The_signature_base_hash_list_pushed_as_a_plain_list_becomes_one_definition_holding_every_distinct_hash()
    {
        // Counted the obvious way: every line that is not blank or a comment holds HASH;COMMENT; repeats count once.
        var expected = FeedTestFixtures.Lines("signature-base-hash-iocs.txt")
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(';', 2)[0].Trim().ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
        var feed = "signature-base-hashes-" + TestData.Token();
        var definition = TestData.Name("signature-base hashes");

        var pushed = await _client.SyncFeedAsync(
            feed,
            FeedMedia.PlainList,
            FeedTestFixtures.Read("signature-base-hash-iocs.txt"),
            $"?definition={Uri.EscapeDataString(definition)}&severity=High");

        Assert.Equal(144, expected.Count);
        Assert.True(pushed.Applied);
        Assert.Equal((1, expected.Count, 0), (pushed.DefinitionsCreated, pushed.IocsCreated, pushed.RejectedCount));
        var stored = Assert.Single(await _client.ReadFeedContentAsync(feed));
        Assert.Equal((definition, "High", feed), (stored.Definition.Name, stored.Definition.Severity, stored.Definition.Source));
        Assert.Equal(expected.Order(StringComparer.Ordinal), stored.Iocs.Select(i => i.Value).Order(StringComparer.Ordinal));
        Assert.Equal(
            new Dictionary<string, int> { ["FileMd5"] = 81, ["FileSha1"] = 13, ["FileSha256"] = 50 },
            stored.Iocs.CountBy(i => i.Type).ToDictionary(p => p.Key, p => p.Value));
        Assert.All(stored.Iocs, ioc => Assert.Equal(ioc.Value.Length switch { 32 => "FileMd5", 40 => "FileSha1", _ => "FileSha256" }, ioc.Type));
        Assert.All(stored.Iocs, ioc => Assert.Equal(("Equals", true, feed), (ioc.Action, ioc.Enabled, ioc.Source)));
        Assert.Equal(
            "Dark Caracal - MS Windows HtmlHelp Data",
            Assert.Single(stored.Iocs, i => i.Value == "ce583821191345274cd954b2db7da9742c239fe413fc17dcb97ffdd7b51cb072").Description);
        var summary = await _client.ReadFeedAsync(feed);
        Assert.Equal((1, expected.Count), (summary.DefinitionCount, summary.IocCount));

        // CSV holds everything a plain list can say, descriptions included: its export pushed back changes nothing.
        var before = (await _client.ReadFeedContentAsync(feed)).Fingerprint();
        var roundTrip = await _client.SyncFeedAsync(feed, FeedMedia.Csv, await ExportAsync(feed, "csv"));
        Assert.Equal((0, 0, expected.Count), (roundTrip.Changes, roundTrip.RejectedCount, roundTrip.IocsUnchanged));
        Assert.Equal(before, (await _client.ReadFeedContentAsync(feed)).Fingerprint());
    }

    [Fact]
    public async Task The_signature_base_c2_list_pushed_as_a_plain_list_holds_its_domains_and_addresses()
    {
        var values = FeedTestFixtures.Lines("signature-base-c2-iocs.txt")
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var addresses = values.Where(v => IPAddress.TryParse(v, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork).ToList();
        var domains = values.Except(addresses).Select(v => v.ToLowerInvariant()).ToList();
        var feed = "signature-base-c2-" + TestData.Token();
        var definition = TestData.Name("signature-base C2");

        var pushed = await _client.SyncFeedAsync(
            feed, FeedMedia.PlainList, FeedTestFixtures.Read("signature-base-c2-iocs.txt"), $"?definition={Uri.EscapeDataString(definition)}");

        Assert.Equal((150, 41, 109), (values.Count, addresses.Count, domains.Count));
        Assert.Equal((1, 150, 0), (pushed.DefinitionsCreated, pushed.IocsCreated, pushed.RejectedCount));
        var stored = Assert.Single(await _client.ReadFeedContentAsync(feed));
        Assert.Equal("Medium", stored.Definition.Severity);
        Assert.Equal(
            addresses.Order(StringComparer.Ordinal),
            stored.Iocs.Where(i => (i.Type, i.Action) == ("IpAddress", "Equals")).Select(i => i.Value).Order(StringComparer.Ordinal));
        Assert.Equal(
            domains.Order(StringComparer.Ordinal),
            stored.Iocs.Where(i => (i.Type, i.Action) == ("DomainName", "EndsWith")).Select(i => i.Value).Order(StringComparer.Ordinal));
        Assert.Equal(150, stored.Iocs.Length);
    }

    [Fact]
    public async Task The_poison_ivy_stix_bundle_is_refused_for_its_one_bad_comparison_and_applied_without_it_with_skip_invalid()
    {
        var feed = "poisonivy-" + TestData.Token();
        var bundle = FeedTestFixtures.Read("stix-poisonivy.json");
        var before = (await _client.CountDefinitionsAsync(), await _client.CountIocsAsync());

        var refused = await (await _client.PushFeedAsync(HttpMethod.Put, feed, FeedMedia.Stix, bundle)).ReadRejectedAsync();

        var row = Assert.Single(refused.Rejected);
        Assert.Equal(
            ("objects[42] (indicator--4e4c4ad7-4909-456a-b6fa-e24a6f682a40)", "domain autuo.xicp.net"),
            (row.Location, row.Value));
        Assert.Equal(feed, refused.Feed);
        Assert.Equal(before, (await _client.CountDefinitionsAsync(), await _client.CountIocsAsync()));
        await (await _client.GetFeedAsync(feed)).ReadProblemAsync(HttpStatusCode.NotFound);

        var applied = await _client.SyncFeedAsync(feed, FeedMedia.Stix, bundle, "?skipInvalid=true");

        Assert.True(applied.Applied);
        Assert.Equal((25, 66, 1), (applied.DefinitionsCreated, applied.IocsCreated, applied.RejectedCount));
        Assert.Equal(row, Assert.Single(applied.Rejected));
        var content = await _client.ReadFeedContentAsync(feed);
        Assert.Equal(25, content.Length);
        Assert.Equal(
            new Dictionary<string, int> { ["DomainName Equals"] = 24, ["IpAddress Equals"] = 40, ["FileName Equals"] = 2 },
            content.SelectMany(d => d.Iocs).CountBy(i => $"{i.Type} {i.Action}").ToDictionary(p => p.Key, p => p.Value));
        var first = Assert.Single(content, d => d.Definition.Name == "IP address: 219.76.208.163");
        Assert.Equal("IP address for key@123 sample 808e21d6efa2884811fbd0adf67fda78", first.Definition.Description);
        Assert.Equal(["malicious-activity", "attribution"], first.Definition.Tags);
        var autuo = Assert.Single(content, d => d.Definition.Name == "autuo.xicp.net");
        Assert.Equal(("IpAddress", "60.10.1.115"), (Assert.Single(autuo.Iocs).Type, autuo.Iocs[0].Value));
        Assert.Equal(before.Item2 + 66, await _client.CountIocsAsync());

        var again = await _client.SyncFeedAsync(feed, FeedMedia.Stix, bundle, "?skipInvalid=true");
        Assert.Equal((0, 25, 66), (again.Changes, again.DefinitionsUnchanged, again.IocsUnchanged));

        var stored = (await _client.ReadFeedContentAsync(feed)).Fingerprint();
        var roundTrip = await _client.SyncFeedAsync(feed, FeedMedia.Stix, await ExportAsync(feed, "stix"));
        Assert.Equal((0, 0, 25, 66), (roundTrip.Changes, roundTrip.RejectedCount, roundTrip.DefinitionsUnchanged, roundTrip.IocsUnchanged));
        Assert.Equal(stored, (await _client.ReadFeedContentAsync(feed)).Fingerprint());
    }

    [Fact]
    public async Task The_apt1_stix_bundle_reports_its_two_and_patterns_and_applies_the_other_indicators_with_skip_invalid()
    {
        var feed = "apt1-" + TestData.Token();
        var bundle = FeedTestFixtures.Read("stix-apt1.json");

        var refused = await (await _client.PushFeedAsync(HttpMethod.Put, feed, FeedMedia.Stix, bundle)).ReadRejectedAsync();

        Assert.Equal(
            ["objects[20] (indicator--b3b6b540-d838-41e2-853b-005056c00008)", "objects[21] (indicator--b3b7035e-d838-41e2-8d38-005056c00008)"],
            refused.Rejected.Select(r => r.Location));
        Assert.All(refused.Rejected, r => Assert.Contains("AND", r.Reason, StringComparison.Ordinal));
        await (await _client.GetFeedAsync(feed)).ReadProblemAsync(HttpStatusCode.NotFound);

        var applied = await _client.SyncFeedAsync(feed, FeedMedia.Stix, bundle, "?skipInvalid=true");

        Assert.Equal((10, 10, 2), (applied.DefinitionsCreated, applied.IocsCreated, applied.RejectedCount));
        var content = await _client.ReadFeedContentAsync(feed);
        Assert.Equal(
            new Dictionary<string, int> { ["IpAddress InRange"] = 4, ["DomainName Equals"] = 3, ["FileMd5 Equals"] = 3 },
            content.SelectMany(d => d.Iocs).CountBy(i => $"{i.Type} {i.Action}").ToDictionary(p => p.Key, p => p.Value));
        Assert.Equal(4, content.Count(d => d.Definition.Name.StartsWith("HTRAN Hop Point Accessor", StringComparison.Ordinal)));
        Assert.Equal("223.166.0.0/15", Assert.Single(Assert.Single(content, d => d.Definition.Name == "HTRAN Hop Point Accessor").Iocs).Value);
    }

    [Fact]
    public async Task The_maltrail_csv_slice_is_refused_for_its_ip_port_rows_by_line_and_applied_without_them_with_skip_invalid()
    {
        var feed = "maltrail-" + TestData.Token();
        var csv = FeedTestFixtures.Read("maltrail-slice.csv");
        var before = (await _client.CountDefinitionsAsync(), await _client.CountIocsAsync());

        var refused = await (await _client.PushFeedAsync(HttpMethod.Put, feed, FeedMedia.Csv, csv)).ReadRejectedAsync();

        Assert.Equal(
            [("line 101", "194.45.8.41:443"), ("line 132", "139.99.38.193:5505"), ("line 133", "139.99.80.193:5505"),
             ("line 134", "51.79.180.158:5505"), ("line 135", "85.239.242.27:5505")],
            refused.Rejected.Select(r => (r.Location, r.Value)));
        Assert.Equal(before, (await _client.CountDefinitionsAsync(), await _client.CountIocsAsync()));

        var applied = await _client.SyncFeedAsync(feed, FeedMedia.Csv, csv, "?skipInvalid=true");

        Assert.Equal((5, 181, 5), (applied.DefinitionsCreated, applied.IocsCreated, applied.RejectedCount));
        var content = await _client.ReadFeedContentAsync(feed);
        Assert.Equal(
            [("apt_darkhotel", "High", 40), ("apt_lazarus", "High", 88), ("bundlebot", "High", 0), ("mass_scanner_cidr", "Low", 50), ("mstealer", "Medium", 3)],
            content.Select(d => (d.Definition.Name, d.Definition.Severity, d.Iocs.Length)));
        Assert.Contains(content.SelectMany(d => d.Iocs), i => (i.Type, i.Action, i.Value) == ("Url", "Contains", "/mstealer/logs/"));
        Assert.Contains(content.SelectMany(d => d.Iocs), i => (i.Type, i.Action, i.Value) == ("IpAddress", "InRange", "5.63.151.0/24"));
        Assert.Equal((5, 181), ((await _client.ReadFeedAsync(feed)).DefinitionCount, (await _client.ReadFeedAsync(feed)).IocCount));

        // JSON keeps everything, bundlebot's empty definition included.
        var stored = (await _client.ReadFeedContentAsync(feed)).Fingerprint();
        var json = await _client.SyncFeedAsync(feed, FeedMedia.Json, await ExportAsync(feed, "json"));
        Assert.Equal((0, 5, 181), (json.Changes, json.DefinitionsUnchanged, json.IocsUnchanged));
        Assert.Equal(stored, (await _client.ReadFeedContentAsync(feed)).Fingerprint());

        // CSV has rows for IOCs only, so (as documented) its export loses bundlebot, which a sync then removes.
        var csvBack = await _client.SyncFeedAsync(feed, FeedMedia.Csv, await ExportAsync(feed, "csv"));
        Assert.Equal((1, 0, 4, 181), (csvBack.DefinitionsRemoved, csvBack.Changes - csvBack.DefinitionsRemoved, csvBack.DefinitionsUnchanged, csvBack.IocsUnchanged));
        Assert.DoesNotContain(await _client.ReadFeedContentAsync(feed), d => d.Definition.Name == "bundlebot");
    }

    [Fact]
    public async Task A_native_json_feed_keeps_every_field_and_stores_values_normalised()
    {
        var feed = "json-" + TestData.Token();
        var name = TestData.Name("Emotet");
        var sha1 = TestData.Sha1();
        var domain = TestData.Domain();
        var expiresAt = new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var body = FeedTestClient.JsonFeed(new
        {
            name,
            description = "Loader and its C2",
            severity = "critical",
            category = "Malware",
            mitreTechniques = new[] { "T1059.001", "T1204.002" },
            recommendedActions = "Isolate the device.",
            tags = new[] { "emotet", "loader" },
            enabled = false,
            iocs = new object[]
            {
                new { type = "FileSha1", value = sha1.ToUpperInvariant(), description = "dropper", enabled = false },
                new { type = "DomainName", value = $"CDN.{domain.ToUpperInvariant()}.", action = "Equals", expiresAt },
                new { type = "IpAddress", value = "2001:DB8:0:0::7" },
            },
        });

        var pushed = await _client.SyncFeedAsync(feed, FeedMedia.Json, body);

        Assert.Equal((1, 3), (pushed.DefinitionsCreated, pushed.IocsCreated));
        var stored = Assert.Single(await _client.ReadFeedContentAsync(feed));
        var definition = stored.Definition;
        Assert.Equal(
            (name, "Loader and its C2", "Critical", "Malware", "Isolate the device.", false, feed),
            (definition.Name, definition.Description, definition.Severity, definition.Category, definition.RecommendedActions, definition.Enabled, definition.Source));
        Assert.Equal(["T1059.001", "T1204.002"], definition.MitreTechniques);
        Assert.Equal(["emotet", "loader"], definition.Tags);
        Assert.Equal(
            [
                ("DomainName", "Equals", $"cdn.{domain}", null, true, expiresAt),
                ("FileSha1", "Equals", sha1, "dropper", false, null),
                ("IpAddress", "Equals", "2001:db8::7", null, true, (DateTime?)null),
            ],
            stored.Iocs.Select(i => (i.Type, i.Action, i.Value, i.Description, i.Enabled, i.ExpiresAt?.ToUniversalTime())));
    }

    private async Task<byte[]> ExportAsync(string feed, string format)
    {
        var response = await _client.GetAsync(FeedRoutes.Export(feed, format));
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return await response.Content.ReadAsByteArrayAsync();
    }

    [Fact]
    public async Task A_content_type_with_a_charset_parameter_chooses_the_same_format()
    {
        var feed = "charset-" + TestData.Token();
        var csv = $"definition,type,value\n{TestData.Name()},FileMd5,{TestData.Md5()}\n";

        var pushed = await (await _client.PushFeedAsync(HttpMethod.Put, feed, "text/csv; charset=utf-8", csv)).ReadAsync<FeedPushDto>(HttpStatusCode.OK);

        Assert.Equal((1, 1), (pushed.DefinitionsCreated, pushed.IocsCreated));
        Assert.Equal(JsonValueKind.Object, (await _client.ReadFeedAsync(feed)).LastPush?.ValueKind);
    }

    [Fact]
    public async Task A_stix_bundle_sent_with_the_oasis_media_type_and_its_version_parameter_is_read_as_stix()
    {
        var feed = "oasis-" + TestData.Token();
        var name = TestData.Name();
        var bundle = $$"""
            { "type": "bundle", "id": "bundle--6b5d4f4e-57c8-4a8a-9a43-0d5b6d1f2a10", "objects": [
              { "type": "indicator", "spec_version": "2.1", "id": "indicator--0f6e3a1c-9d7b-4b5e-8a2f-3c1d2e4f5a6b",
                "created": "2026-11-01T00:00:00Z", "modified": "2026-11-01T00:00:00Z", "name": "{{name}}",
                "pattern_type": "stix", "pattern": "[ipv4-addr:value = '203.0.113.77']", "valid_from": "2026-11-01T00:00:00Z" } ] }
            """;

        var pushed = await (await _client.PushFeedAsync(HttpMethod.Put, feed, "application/vnd.oasis.stix+json; version=2.1", bundle))
            .ReadAsync<FeedPushDto>(HttpStatusCode.OK);

        Assert.Equal((1, 1), (pushed.DefinitionsCreated, pushed.IocsCreated));
    }
}
