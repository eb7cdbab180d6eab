using System.Text;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Feeds;
using ThreatIntel.Core.Feeds.Formats;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Tests.Feeds;

/// <summary>
/// The fixtures are OASIS's STIX 2.1 examples (see Fixtures/README.md). The expected numbers were counted by hand,
/// independently of the parser, with a throw-away Python script: for every object of type indicator, drop the outer
/// brackets of its pattern, split it on " OR ", match each part against <c>(\S+) = '(.*)'</c> and count the parts per
/// object path; patterns containing " AND " or "MATCHES" were counted as unsupported; every value was then read by eye
/// for validity (only poisonivy's <c>'domain autuo.xicp.net'</c>, with a space, is not a host name).
/// </summary>
public class StixFeedParserTests
{
    [Fact]
    public async Task Poison_ivy_bundle_gives_one_definition_per_indicator_with_its_iocs()
    {
        // 155 objects, 25 indicators (all pattern_type stix, every pattern = comparisons joined by OR), 67 comparisons:
        // 40 ipv4-addr:value, 25 domain-name:value (one of them 'domain autuo.xicp.net', invalid), 2 file:name.
        var feed = await ParseFixtureAsync("stix-poisonivy.json");

        Assert.Equal(25, feed.Definitions.Count);
        Assert.Equal(67, feed.RowsRead);
        Assert.Equal(
            new Dictionary<(IocType, IocAction), int>
            {
                [(IocType.IpAddress, IocAction.Equals)] = 40,
                [(IocType.DomainName, IocAction.Equals)] = 24,
                [(IocType.FileName, IocAction.Equals)] = 2,
            },
            CountByTypeAndAction(feed));

        var error = Assert.Single(feed.Errors);
        Assert.Equal(("objects[42] (indicator--4e4c4ad7-4909-456a-b6fa-e24a6f682a40)", "domain autuo.xicp.net"), (error.Location, error.Value));
        var autuo = feed.Definitions.Single(d => d.Metadata.Name == "autuo.xicp.net");
        Assert.Equal(("60.10.1.115", IocType.IpAddress), (Assert.Single(autuo.Iocs).Value, autuo.Iocs[0].Type));

        var first = feed.Definitions[0];
        Assert.Equal("IP address: 219.76.208.163", first.Metadata.Name);
        Assert.Equal("IP address for key@123 sample 808e21d6efa2884811fbd0adf67fda78", first.Metadata.Description);
        Assert.Equal((Severity.Medium, true), (first.Metadata.Severity, first.Metadata.Enabled));
        Assert.Equal(["malicious-activity", "attribution"], first.Metadata.Tags);
        Assert.All(feed.Definitions.SelectMany(d => d.Iocs), ioc => Assert.Null(ioc.ExpiresAt));
    }

    [Fact]
    public async Task Apt1_bundle_reports_and_patterns_and_makes_repeated_names_unique()
    {
        // 76 objects, 12 indicators: 4 named "HTRAN Hop Point Accessor" (ipv4-addr:value = CIDR /15), 3 FQDNs
        // (domain-name:value), 3 MD5s (file:hashes.md5, lower-case algorithm), and 2 x509-certificate patterns joining
        // issuer and serial_number with AND, which cannot be represented.
        var feed = await ParseFixtureAsync("stix-apt1.json");

        Assert.Equal(10, feed.Definitions.Count);
        Assert.Equal(10, feed.RowsRead);
        Assert.Equal(
            new Dictionary<(IocType, IocAction), int>
            {
                [(IocType.IpAddress, IocAction.InRange)] = 4,
                [(IocType.DomainName, IocAction.Equals)] = 3,
                [(IocType.FileMd5, IocAction.Equals)] = 3,
            },
            CountByTypeAndAction(feed));
        Assert.Equal(
            [
                "HTRAN Hop Point Accessor",
                "HTRAN Hop Point Accessor (indicator--da1d061b-2bc9-467a-b16f-8d14f468e1f0)",
                "HTRAN Hop Point Accessor (indicator--2173d108-5714-42fd-8213-4f3790259fda)",
                "HTRAN Hop Point Accessor (indicator--8ce03314-dfea-4498-ac9b-136e41ab00e4)",
            ],
            feed.Definitions.Select(d => d.Metadata.Name).Where(n => n.StartsWith("HTRAN", StringComparison.Ordinal)));
        Assert.Equal("223.166.0.0/15", feed.Definitions[0].Iocs.Single().Value);

        Assert.Equal(2, feed.Errors.Count);
        Assert.Equal(
            ["objects[20] (indicator--b3b6b540-d838-41e2-853b-005056c00008)", "objects[21] (indicator--b3b7035e-d838-41e2-8d38-005056c00008)"],
            feed.Errors.Select(e => e.Location));
        var error = feed.Errors[0];
        Assert.Equal("[x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = '4c:0b:1d:19:74:86:a7:66:b4:1a:bf:40:27:21:76:28']", error.Value);
        Assert.Contains("AND between comparisons", error.Reason, StringComparison.Ordinal);
        Assert.Contains("x509-certificate:issuer", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Single_indicator_bundle()
    {
        var feed = await ParseFixtureAsync("stix-indicator-for-c2-ip-address.json");

        Assert.Empty(feed.Errors);
        var definition = Assert.Single(feed.Definitions);
        Assert.Equal(
            ("IP Address for known C2 channel", "Test description C2 channel.", Severity.Medium),
            (definition.Metadata.Name, definition.Metadata.Description, definition.Metadata.Severity));
        Assert.Equal(["malicious-activity"], definition.Metadata.Tags);
        var ioc = Assert.Single(definition.Iocs);
        Assert.Equal((IocType.IpAddress, IocAction.Equals, "10.0.0.0"), (ioc.Type, ioc.Action, ioc.Value));
    }

    [Fact]
    public async Task Indicators_among_other_objects_are_the_only_ones_read()
    {
        // 8 objects: identity, malware, course-of-action, 3 relationships and 2 indicators (an IP and a SHA-256).
        var feed = await ParseFixtureAsync("stix-indicators-for-C2-with-COA.json");

        Assert.Empty(feed.Errors);
        Assert.Equal(["IP Address for known C2 channel", "File hash for Poison Ivy variant"], feed.Definitions.Select(d => d.Metadata.Name));
        Assert.Equal(
            [(IocType.IpAddress, "10.0.0.0"), (IocType.FileSha256, "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c")],
            feed.Definitions.SelectMany(d => d.Iocs).Select(i => (i.Type, i.Value)));
    }

    [Fact]
    public async Task Email_indicators_on_paths_without_an_ioc_type_are_reported_per_indicator()
    {
        // 2 indicators, both MATCHES on email-message properties the product has no IOC type for.
        var feed = await ParseFixtureAsync("stix-malicious-email-indicator-with-attachment.json");

        Assert.Empty(feed.Definitions);
        Assert.Collection(
            feed.Errors,
            e =>
            {
                Assert.Equal(("objects[2] (indicator--8cf9236f-1b96-493d-98be-0c1c1e8b62d7)", "[email-message:subject MATCHES '^[IMPORTANT] Please Review Before']"), (e.Location, e.Value));
                Assert.Contains("the object path email-message:subject, which no IOC type stands for", e.Reason, StringComparison.Ordinal);
            },
            e =>
            {
                Assert.Equal("objects[3] (indicator--2e17f6fe-3a4d-438a-911a-e509ba1b9933)", e.Location);
                Assert.Contains("email-message:body_multipart[*].body_raw_ref.name", e.Reason, StringComparison.Ordinal);
            });
    }

    [Fact]
    public async Task Reads_metadata_techniques_expiry_and_the_custom_properties()
    {
        var feed = await ParseAsync(Bundle("""
            {
              "type": "indicator", "spec_version": "2.1", "id": "indicator--00000000-0000-4000-8000-000000000001",
              "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
              "name": "  Cobalt Strike  ", "description": "Beacon",
              "labels": ["c2", "Beacon"], "indicator_types": ["malicious-activity", "C2"],
              "kill_chain_phases": [
                { "kill_chain_name": "mitre-attack", "phase_name": "command-and-control" },
                { "kill_chain_name": "mitre-attack", "phase_name": "T1071.001" },
                { "kill_chain_name": "lockheed-martin-cyber-kill-chain", "phase_name": "T9999" }
              ],
              "external_references": [
                { "source_name": "mitre-attack", "external_id": "t1059" },
                { "source_name": "mitre-attack", "external_id": "TA0011" },
                { "source_name": "capec", "external_id": "CAPEC-163" },
                { "source_name": "mitre-attack", "external_id": "T1071.001" }
              ],
              "pattern": "[ipv4-addr:value = '192.0.2.1'] OR [file:hashes.'SHA-256' = 'EF537F25C895BFA782526529A9B63D97AA631564D5D789C2B765448C8635FB6C']",
              "pattern_type": "stix", "valid_from": "2024-01-01T00:00:00Z", "valid_until": "2030-06-30T00:00:00Z",
              "x_threatintel_severity": "critical", "x_threatintel_category": "C2",
              "x_threatintel_recommended_actions": "Block", "x_threatintel_enabled": false
            }
            """));

        Assert.Empty(feed.Errors);
        var definition = Assert.Single(feed.Definitions);
        var metadata = definition.Metadata;
        Assert.Equal(
            ("Cobalt Strike", "Beacon", Severity.Critical, "C2", "Block", false),
            (metadata.Name, metadata.Description, metadata.Severity, metadata.Category, metadata.RecommendedActions, metadata.Enabled));
        Assert.Equal(["c2", "Beacon", "malicious-activity"], metadata.Tags);
        Assert.Equal(["T1071.001", "T1059"], metadata.MitreTechniques);
        Assert.All(definition.Iocs, ioc => Assert.Equal(new DateTime(2030, 6, 30, 0, 0, 0, DateTimeKind.Utc), ioc.ExpiresAt));
        Assert.Equal("ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c", definition.Iocs[1].Value);
    }

    [Fact]
    public async Task Indicators_without_a_name_are_named_by_their_id()
    {
        var feed = await ParseAsync(Bundle(Indicator("indicator--00000000-0000-4000-8000-000000000001", null, "[file:name = 'a.exe']")));

        Assert.Equal("indicator--00000000-0000-4000-8000-000000000001", Assert.Single(feed.Definitions).Metadata.Name);
    }

    [Fact]
    public async Task Rejected_indicators_keep_their_name_so_that_fixing_one_never_renames_another()
    {
        var feed = await ParseAsync(Bundle(
            Indicator("indicator--00000000-0000-4000-8000-000000000001", "Same", "[file:name LIKE 'a%']"),
            Indicator("indicator--00000000-0000-4000-8000-000000000002", "same", "[file:name = 'b.exe']")));

        Assert.Equal("same (indicator--00000000-0000-4000-8000-000000000002)", Assert.Single(feed.Definitions).Metadata.Name);
        Assert.Contains("the LIKE operator", Assert.Single(feed.Errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Indicator_level_problems_are_row_errors_at_the_object()
    {
        var feed = await ParseAsync(Bundle(
            Indicator("indicator--00000000-0000-4000-8000-000000000001", "Sigma", "title: x", patternType: "sigma"),
            Indicator("indicator--00000000-0000-4000-8000-000000000002", "No pattern", null),
            Indicator("indicator--00000000-0000-4000-8000-000000000003", "Twice", "[file:name = 'a.exe']"),
            Indicator("indicator--00000000-0000-4000-8000-000000000003", "Twice v2", "[file:name = 'b.exe']"),
            Indicator("indicator--00000000-0000-4000-8000-000000000004", "Long", "[file:name = 'a.exe']", description: new string('x', 4001)),
            Indicator("indicator--00000000-0000-4000-8000-000000000005", "Severity", "[file:name = 'a.exe']", extra: "\"x_threatintel_severity\": \"Urgent\""),
            Indicator("indicator--00000000-0000-4000-8000-000000000006", "Revoked", "[file:name = 'a.exe']", extra: "\"revoked\": true"),
            Indicator("indicator--00000000-0000-4000-8000-000000000007", "Bad values", "[file:hashes.MD5 = 'xyz'] OR [ipv4-addr:value = '10.0.0.1/8']"),
            Indicator("indicator--00000000-0000-4000-8000-000000000008", "Bad regex", "[url:value MATCHES '(?<=a)b']"),
            Indicator(null, null, "[file:name = 'a.exe']"),
            "\"not an object\"",
            Indicator("indicator--00000000-0000-4000-8000-000000000009", "Syntax", "[file:name = 'a.exe'")));

        Assert.Equal(["Twice", "Bad values"], feed.Definitions.Select(d => d.Metadata.Name));
        Assert.Empty(feed.Definitions[1].Iocs);
        var errors = feed.Errors.Select(e => (e.Location, e.Value, e.Reason)).ToList();
        Assert.Equal(11, errors.Count);
        Assert.Equal(("objects[0] (indicator--00000000-0000-4000-8000-000000000001)", "title: x"), (errors[0].Location, errors[0].Value));
        Assert.Equal("pattern_type 'sigma' is not supported; only STIX patterns (pattern_type 'stix') become IOCs.", errors[0].Reason);
        Assert.Equal("pattern: An indicator needs a pattern.", errors[1].Reason);
        Assert.Equal("objects[3] (indicator--00000000-0000-4000-8000-000000000003)", errors[2].Location);
        Assert.Contains("appears more than once", errors[2].Reason, StringComparison.Ordinal);
        Assert.StartsWith("description: ", errors[3].Reason, StringComparison.Ordinal);
        Assert.Equal(("Urgent", "x_threatintel_severity: 'Urgent' is not a severity; expected one of Informational, Low, Medium, High, Critical."), (errors[4].Value, errors[4].Reason));
        Assert.Equal(("objects[7] (indicator--00000000-0000-4000-8000-000000000007)", "xyz"), (errors[5].Location, errors[5].Value));
        Assert.Equal(("objects[7] (indicator--00000000-0000-4000-8000-000000000007)", "10.0.0.1/8"), (errors[6].Location, errors[6].Value));
        Assert.Contains("host bits", errors[6].Reason, StringComparison.Ordinal);
        Assert.Contains("cannot be used", errors[7].Reason, StringComparison.Ordinal);
        Assert.Equal(("objects[9]", "name: An indicator needs a name or an id."), (errors[8].Location, errors[8].Reason));
        Assert.Equal(("objects[10]", "A STIX object must be a JSON object."), (errors[9].Location, errors[9].Reason));
        Assert.StartsWith("The pattern is not valid STIX: expected ']'", errors[10].Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "type": "indicator", "pattern": "[file:name = 'a']" }""")]
    [InlineData("""{ "objects": [] }""")]
    [InlineData("""[ { "type": "bundle" } ]""")]
    [InlineData("""{ "type": "bundle", "objects": {} }""")]
    [InlineData("""{ "type": "bundle", "objects": [ { "type": "indicator" }""")]
    [InlineData("""{ "type": "bundle", "objects": [] } { }""")]
    [InlineData("name,type,value")]
    [InlineData("")]
    public async Task A_body_that_is_not_a_bundle_throws_a_format_exception(string body) =>
        await Assert.ThrowsAsync<FeedFormatException>(() => ParseAsync(body));

    [Fact]
    public async Task An_empty_bundle_is_an_empty_feed()
    {
        var feed = await ParseAsync("""{ "type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000000", "objects": [] }""");

        Assert.Empty(feed.Definitions);
        Assert.Empty(feed.Errors);
    }

    [Fact]
    public async Task The_bundle_may_name_its_type_after_its_objects_and_is_read_in_pieces()
    {
        var body = $$"""{ "id": "bundle--1", "objects": [ {{Indicator("indicator--1", "A", "[file:name = 'a.exe']")}} ], "spec_version": "2.0", "type": "bundle" }""";

        var feed = await new StixFeedParser().ParseAsync(
            new JsonFeedParserTests.TrickleStream(Encoding.UTF8.GetBytes(body)), new FeedParseOptions(), CancellationToken.None);

        Assert.Equal("a.exe", Assert.Single(Assert.Single(feed.Definitions).Iocs).Value);
    }

    internal static async Task<ParsedFeed> ParseFixtureAsync(string name)
    {
        await using var stream = File.OpenRead(FixturePath(name));
        return await new StixFeedParser().ParseAsync(stream, new FeedParseOptions(), CancellationToken.None);
    }

    /// <summary>The test project copies <c>Feeds/Fixtures/**</c> next to the test assembly.</summary>
    internal static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Feeds", "Fixtures", name);

    internal static Task<ParsedFeed> ParseAsync(string body) =>
        new StixFeedParser().ParseAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), new FeedParseOptions(), CancellationToken.None);

    private static string Bundle(params string[] objects) =>
        $$"""{ "type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000000", "objects": [ {{string.Join(",\n", objects)}} ] }""";

    private static string Indicator(string? id, string? name, string? pattern, string? patternType = "stix", string? description = null, string? extra = null)
    {
        var properties = new List<string> { "\"type\": \"indicator\"", "\"spec_version\": \"2.1\"" };
        if (id is not null)
        {
            properties.Add($"\"id\": \"{id}\"");
        }

        if (name is not null)
        {
            properties.Add($"\"name\": \"{name}\"");
        }

        if (description is not null)
        {
            properties.Add($"\"description\": \"{description}\"");
        }

        if (pattern is not null)
        {
            properties.Add($"\"pattern\": {System.Text.Json.JsonSerializer.Serialize(pattern)}");
        }

        if (patternType is not null)
        {
            properties.Add($"\"pattern_type\": \"{patternType}\"");
        }

        if (extra is not null)
        {
            properties.Add(extra);
        }

        return "{ " + string.Join(", ", properties) + " }";
    }

    private static Dictionary<(IocType, IocAction), int> CountByTypeAndAction(ParsedFeed feed) =>
        feed.Definitions.SelectMany(d => d.Iocs).CountBy(i => (i.Type, i.Action)).ToDictionary(p => p.Key, p => p.Value);
}
