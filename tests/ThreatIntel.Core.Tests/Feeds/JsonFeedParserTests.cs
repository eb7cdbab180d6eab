using System.Text;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Feeds;
using ThreatIntel.Core.Feeds.Formats;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Tests.Feeds;

public class JsonFeedParserTests
{
    private static readonly FeedParseOptions Options = new();

    [Fact]
    public async Task Reads_every_field_of_definitions_and_iocs()
    {
        const string body = """
            {
              "definitions": [
                {
                  "id": "ignored", "createdAt": "2020-01-01T00:00:00Z", "source": "someone", "iocCount": 99,
                  "name": "Emotet", "description": "Emotet loader", "severity": "high", "category": "Malware",
                  "mitreTechniques": ["T1059", "t1566.001"], "recommendedActions": "Isolate the host",
                  "tags": ["banking", "loader"], "enabled": false,
                  "iocs": [
                    { "type": "FileSha256", "value": "EF537F25C895BFA782526529A9B63D97AA631564D5D789C2B765448C8635FB6C" },
                    { "type": "domainname", "value": "Evil.Example.COM.", "action": "equals", "description": "C2",
                      "enabled": false, "expiresAt": "2030-01-31T12:00:00Z", "id": "ignored too" },
                    { "type": "IpAddress", "value": "10.0.0.0/8" },
                    { "type": "Url", "value": "HTTP://Evil.Example.com:80/x", "expiresAt": "2030-01-31T12:00:00.5+00:00" }
                  ]
                },
                { "name": "Bare" }
              ]
            }
            """;

        var feed = await ParseAsync(body);

        Assert.Empty(feed.Errors);
        Assert.Equal(4, feed.RowsRead);
        Assert.Equal(2, feed.Definitions.Count);
        var emotet = feed.Definitions[0];
        var metadata = emotet.Metadata;
        Assert.Equal(
            ("Emotet", "Emotet loader", Severity.High, "Malware", "Isolate the host", false),
            (metadata.Name, metadata.Description, metadata.Severity, metadata.Category, metadata.RecommendedActions, metadata.Enabled));
        Assert.Equal(["T1059", "t1566.001"], metadata.MitreTechniques);
        Assert.Equal(["banking", "loader"], metadata.Tags);
        Assert.Collection(
            emotet.Iocs,
            ioc => Assert.Equal(
                (IocType.FileSha256, IocAction.Equals, "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c", null, true, null),
                (ioc.Type, ioc.Action, ioc.Value, ioc.Description, ioc.Enabled, ioc.ExpiresAt)),
            ioc => Assert.Equal(
                (IocType.DomainName, IocAction.Equals, "evil.example.com", "C2", false, new DateTime(2030, 1, 31, 12, 0, 0, DateTimeKind.Utc)),
                (ioc.Type, ioc.Action, ioc.Value, ioc.Description, ioc.Enabled, (DateTime?)ioc.ExpiresAt)),
            ioc => Assert.Equal((IocType.IpAddress, IocAction.InRange, "10.0.0.0/8"), (ioc.Type, ioc.Action, ioc.Value)),
            ioc =>
            {
                Assert.Equal((IocType.Url, IocAction.StartsWith, "http://evil.example.com/x"), (ioc.Type, ioc.Action, ioc.Value));
                Assert.Equal(new DateTime(2030, 1, 31, 12, 0, 0, 500, DateTimeKind.Utc), ioc.ExpiresAt);
                Assert.Equal(DateTimeKind.Utc, ioc.ExpiresAt!.Value.Kind);
            });

        var bare = feed.Definitions[1].Metadata;
        Assert.Equal((Severity.Medium, true, 0, 0), (bare.Severity, bare.Enabled, bare.Tags.Count, bare.MitreTechniques.Count));
        Assert.Empty(feed.Definitions[1].Iocs);
    }

    [Fact]
    public async Task Property_names_are_matched_ignoring_case_and_iocs_may_come_before_the_name()
    {
        const string body = """{ "Definitions": [ { "IOCS": [ { "Type": "FileName", "Value": "evil.exe" } ], "Name": "Late name", "Severity": "LOW" } ] }""";

        var feed = await ParseAsync(body);

        Assert.Empty(feed.Errors);
        var definition = Assert.Single(feed.Definitions);
        Assert.Equal(("Late name", Severity.Low), (definition.Metadata.Name, definition.Metadata.Severity));
        Assert.Equal("evil.exe", Assert.Single(definition.Iocs).Value);
    }

    [Fact]
    public async Task Unknown_enum_values_are_row_errors_at_their_location_naming_the_value()
    {
        const string body = """
            { "definitions": [
              { "name": "A", "iocs": [ { "type": "FileName", "value": "ok.exe" } ] },
              { "name": "B", "severity": "Urgent", "iocs": [ { "type": "FileName", "value": "x.exe" } ] },
              { "name": "C", "iocs": [
                  { "type": "FileName", "value": "ok.exe" },
                  { "type": "FileSha512", "value": "abc" },
                  { "type": "DomainName", "value": "evil.example", "action": "StartsWith" },
                  { "type": "DomainName", "value": "evil.example", "action": "Sometimes" },
                  { "type": "IpAddress", "value": "10.0.0.1", "action": "1" },
                  { "type": "High, Low", "value": "10.0.0.1" }
              ] }
            ] }
            """;

        var feed = await ParseAsync(body);

        Assert.Equal(["A", "C"], feed.Definitions.Select(d => d.Metadata.Name));
        Assert.Equal(8, feed.RowsRead);
        Assert.Collection(
            feed.Errors,
            e => Assert.Equal(
                new FeedRowError("definitions[1]", "Urgent", "severity: 'Urgent' is not a severity; expected one of Informational, Low, Medium, High, Critical."),
                e),
            e => Assert.Equal(
                new FeedRowError(
                    "definitions[2].iocs[1]",
                    "abc",
                    "type: 'FileSha512' is not an IOC type; expected one of FileSha1, FileSha256, FileMd5, CertificateThumbprint, IpAddress, DomainName, Url, EmailAddress, FileName, FilePath, ProcessName, CommandLine, RegistryKey."),
                e),
            e =>
            {
                Assert.Equal(("definitions[2].iocs[2]", "evil.example"), (e.Location, e.Value));
                Assert.Contains("StartsWith", e.Reason, StringComparison.Ordinal);
            },
            e =>
            {
                Assert.Equal(("definitions[2].iocs[3]", "evil.example"), (e.Location, e.Value));
                Assert.StartsWith("action: 'Sometimes' is not an IOC action", e.Reason, StringComparison.Ordinal);
            },
            e => Assert.Equal(("definitions[2].iocs[4]", "10.0.0.1"), (e.Location, e.Value)),
            e =>
            {
                Assert.Equal(("definitions[2].iocs[5]", "10.0.0.1"), (e.Location, e.Value));
                Assert.StartsWith("type: 'High, Low' is not an IOC type", e.Reason, StringComparison.Ordinal);
            });
    }

    [Fact]
    public async Task Fields_of_the_wrong_kind_and_bad_values_are_row_errors()
    {
        const string body = """
            { "definitions": [
              { "name": 42 },
              { "name": "Tags", "tags": "not-a-list" },
              "not an object",
              { "name": "Iocs", "iocs": { "type": "FileName" } },
              { "name": "Good", "iocs": [
                  "not an object",
                  { "value": "no-type.exe" },
                  { "type": "FileName", "value": "x.exe", "enabled": "yes" },
                  { "type": "FileName", "value": "y.exe", "expiresAt": "next tuesday" },
                  { "type": "FileName", "value": "z.exe", "expiresAt": "2030-01-01T00:00:00" },
                  { "type": "FileName", "value": "w.exe", "expiresAt": "2030-01-01T00:00:00+02:00" },
                  { "type": "FileMd5", "value": "not-a-hash" },
                  { "type": "FileName" },
                  { "type": "FileName", "value": 7 }
              ] },
              { "description": "no name" },
              { "name": "Bad technique", "mitreTechniques": ["T1059", "Phishing"] }
            ] }
            """;

        var feed = await ParseAsync(body);

        var good = Assert.Single(feed.Definitions);
        Assert.Equal("Good", good.Metadata.Name);
        Assert.Empty(good.Iocs);
        var errors = feed.Errors.Select(e => (e.Location, e.Value, Field: e.Reason.Split(':')[0])).ToList();
        Assert.Equal(
            [
                ("definitions[0]", "42", "name"),
                ("definitions[1]", "not-a-list", "tags"),
                ("definitions[2]", "not an object", "A definition must be a JSON object, not a string."),
                ("definitions[3]", null, "iocs"),
                ("definitions[4].iocs[0]", "not an object", "An IOC must be a JSON object, not a string."),
                ("definitions[4].iocs[1]", "no-type.exe", "type"),
                ("definitions[4].iocs[2]", "x.exe", "enabled"),
                ("definitions[4].iocs[3]", "y.exe", "expiresAt"),
                ("definitions[4].iocs[4]", "z.exe", "expiresAt must be a UTC time (ending in Z or +00"),
                ("definitions[4].iocs[5]", "w.exe", "expiresAt must be a UTC time (ending in Z or +00"),
                ("definitions[4].iocs[6]", "not-a-hash", feed.Errors[10].Reason.Split(':')[0]),
                ("definitions[4].iocs[7]", null, "A value is required."),
                ("definitions[4].iocs[8]", "7", "value"),
                ("definitions[5]", "", "name"),
                ("definitions[6]", null, "mitreTechniques"),
            ],
            errors);
        Assert.Equal(9, feed.RowsRead);
    }

    [Fact]
    public async Task A_definition_named_twice_is_a_row_error_for_the_second()
    {
        const string body = """
            { "definitions": [
              { "name": "Emotet", "iocs": [ { "type": "FileName", "value": "a.exe" } ] },
              { "name": "  EMOTET ", "iocs": [ { "type": "FileName", "value": "b.exe" } ] }
            ] }
            """;

        var feed = await ParseAsync(body);

        var definition = Assert.Single(feed.Definitions);
        Assert.Equal("a.exe", Assert.Single(definition.Iocs).Value);
        Assert.Equal(new FeedRowError("definitions[1]", "  EMOTET ", "definition 'EMOTET' appears twice in the push"), Assert.Single(feed.Errors));
        Assert.Equal(2, feed.RowsRead);
    }

    [Fact]
    public async Task Repeated_iocs_of_a_definition_are_kept_once_without_error()
    {
        const string body = """
            { "definitions": [ { "name": "A", "iocs": [
              { "type": "DomainName", "value": "Evil.Example", "action": "Equals" },
              { "type": "DomainName", "value": "evil.example.", "action": "Equals" }
            ] } ] }
            """;

        var feed = await ParseAsync(body);

        Assert.Empty(feed.Errors);
        Assert.Single(Assert.Single(feed.Definitions).Iocs);
        Assert.Equal(2, feed.RowsRead);
    }

    [Fact]
    public async Task Errors_beyond_the_reported_maximum_are_only_counted()
    {
        var iocs = string.Join(",", Enumerable.Range(0, 25).Select(i => $$"""{ "type": "Nope", "value": "v{{i}}" }"""));

        var feed = await new JsonFeedParser().ParseAsync(
            Body($$"""{ "definitions": [ { "name": "A", "iocs": [ {{iocs}} ] } ] }"""), new FeedParseOptions(MaxReportedErrors: 10), CancellationToken.None);

        Assert.Equal(10, feed.Errors.Count);
        Assert.Equal(25, feed.ErrorCount);
    }

    [Theory]
    [InlineData("{ \"definitions\": [ { \"name\": \"A\" } ", "(line 1, byte 36): Expected depth to be zero at the end of the JSON payload.")]
    [InlineData("{ \"definitions\": [ { \"name\": \"A\", } ] }", "(line 1, byte 35): The JSON object contains a trailing comma")]
    [InlineData("{ \"definitions\": [ { \"name\": 'A' } ] }", "(line 1, byte 30): ''' is an invalid start of a value.")]
    [InlineData("{\n  \"definitions\": [\n    { \"name\": \"A\" }\n    { \"name\": \"B\" }\n  ]\n}", "(line 4, byte 5): '{' is invalid after a value.")]
    [InlineData("{ \"definitions\": [] } trailing", "(line 1, byte 23): 't' is invalid after a single JSON value.")]
    [InlineData("{ \"definitions\": [ { \"name\": \"A\" // comment\n } ] }", "(line 1, byte 34): '/' is invalid after a value.")]
    public async Task Malformed_json_throws_a_format_exception_saying_where(string body, string where)
    {
        var exception = await Assert.ThrowsAsync<FeedFormatException>(() => ParseAsync(body));

        Assert.StartsWith($"The body is not valid JSON {where}", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", exception.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(exception.InnerException);
    }

    [Theory]
    [InlineData("", "The body is empty.")]
    [InlineData(" \r\n ", "The body is empty.")]
    [InlineData("[]", "The body must be a JSON object: { \"definitions\": [ ... ] }.")]
    [InlineData("\"definitions\"", "The body must be a JSON object: { \"definitions\": [ ... ] }.")]
    [InlineData("{}", "The body has no 'definitions' array: { \"definitions\": [ ... ] }.")]
    [InlineData("{ \"definitions\": {} }", "'definitions' must be an array (byte 17).")]
    [InlineData("{ \"definitions\": null }", "'definitions' must be an array (byte 17).")]
    public async Task A_body_of_the_wrong_shape_throws_a_format_exception(string body, string message)
    {
        var exception = await Assert.ThrowsAsync<FeedFormatException>(() => ParseAsync(body));

        Assert.Equal(message, exception.Message);
    }

    [Fact]
    public async Task Malformed_json_deep_in_a_large_body_is_located_by_line()
    {
        var body = new StringBuilder("{ \"definitions\": [\n");
        for (var i = 0; i < 2000; i++)
        {
            body.Append("  { \"name\": \"Definition ").Append(i).Append("\", \"iocs\": [ { \"type\": \"FileName\", \"value\": \"f").Append(i).Append(".exe\" } ] },\n");
        }

        body.Append("  { \"name\": \"Broken\" \"iocs\": [] }\n] }");

        var exception = await Assert.ThrowsAsync<FeedFormatException>(() => ParseAsync(body.ToString()));

        Assert.StartsWith("The body is not valid JSON (line 2002, byte 22): '\"' is invalid after a value.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_body_is_read_in_pieces_whatever_the_stream_returns_per_read()
    {
        var description = new string('d', 40_000);
        var body = $$"""
            {"definitions":[{"name":"Over-long","description":"{{description}}","iocs":[{"type":"FileName","value":"a.exe"}]},
            {"name":"Ünïcödé ✓","tags":["naïve"],"iocs":[{"type":"CommandLine","value":"cmd /c \"echo \u00e9\""},{"type":"IpAddress","value":"2001:DB8::1"}]}]}
            """;

        var feed = await new JsonFeedParser().ParseAsync(
            new TrickleStream(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(body)).ToArray()), Options, CancellationToken.None);

        var error = Assert.Single(feed.Errors);
        Assert.Equal("definitions[0]", error.Location);
        Assert.StartsWith("description: ", error.Reason, StringComparison.Ordinal);
        var definition = Assert.Single(feed.Definitions);
        Assert.Equal(("Ünïcödé ✓", "naïve"), (definition.Metadata.Name, definition.Metadata.Tags[0]));
        Assert.Equal(["cmd /c \"echo é\"", "2001:db8::1"], definition.Iocs.Select(i => i.Value));
    }

    [Fact]
    public async Task Many_iocs_are_read_without_the_body_being_held()
    {
        const int count = 50_000;
        var body = new StringBuilder("{\"definitions\":[{\"name\":\"Big\",\"iocs\":[");
        for (var i = 0; i < count; i++)
        {
            body.Append(i == 0 ? string.Empty : ",").Append("{\"type\":\"IpAddress\",\"value\":\"10.")
                .Append(i >> 16).Append('.').Append((i >> 8) & 255).Append('.').Append(i & 255).Append("\"}");
        }

        body.Append("]}]}");

        var feed = await ParseAsync(body.ToString());

        Assert.Empty(feed.Errors);
        Assert.Equal(count, Assert.Single(feed.Definitions).Iocs.Count);
        Assert.Equal(count, feed.RowsRead);
    }

    internal static Task<ParsedFeed> ParseAsync(string body) =>
        new JsonFeedParser().ParseAsync(Body(body), Options, CancellationToken.None);

    internal static MemoryStream Body(string body) => new(Encoding.UTF8.GetBytes(body));

    /// <summary>A stream that hands out at most a few bytes per read, as a slow network would.</summary>
    internal sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 7));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 7)], cancellationToken);
    }
}
