using System.Text;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Feeds;
using ThreatIntel.Core.Feeds.Formats;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Tests.Feeds;

public class CsvFeedParserTests
{
    private const string Header = "definition,type,value,action,severity,description,expiresAt";

    [Fact]
    public async Task Reads_every_column_of_the_spec_header()
    {
        var feed = await CsvFeeds.Parse(
            Header + "\n" +
            "Emotet,DomainName,Evil.COM,Equals,High,C2 domain,2026-12-31T23:59:59Z\n");

        CsvFeeds.NoErrors(feed);
        var definition = Assert.Single(feed.Definitions);
        Assert.Equal("Emotet", definition.Metadata.Name);
        Assert.Equal(Severity.High, definition.Metadata.Severity);
        var ioc = Assert.Single(definition.Iocs);
        Assert.Equal((IocType.DomainName, IocAction.Equals, "evil.com"), (ioc.Type, ioc.Action, ioc.Value));
        Assert.Equal("C2 domain", ioc.Description);
        Assert.True(ioc.Enabled);
        Assert.Equal(new DateTime(2026, 12, 31, 23, 59, 59, DateTimeKind.Utc), ioc.ExpiresAt);
        Assert.Equal(DateTimeKind.Utc, ioc.ExpiresAt!.Value.Kind);
        Assert.Equal(1, feed.RowsRead);
    }

    [Fact]
    public async Task A_definition_read_from_csv_has_only_a_name_and_a_severity()
    {
        var feed = await CsvFeeds.Parse(Header + "\nEmotet,FileMd5,d41d8cd98f00b204e9800998ecf8427e,,Critical,,\n");

        var metadata = Assert.Single(feed.Definitions).Metadata;
        Assert.Equal(("Emotet", Severity.Critical, true), (metadata.Name, metadata.Severity, metadata.Enabled));
        Assert.Null(metadata.Description);
        Assert.Null(metadata.Category);
        Assert.Null(metadata.RecommendedActions);
        Assert.Empty(metadata.MitreTechniques);
        Assert.Empty(metadata.Tags);
    }

    [Fact]
    public async Task Quoted_fields_keep_embedded_commas_quotes_and_line_breaks()
    {
        var feed = await CsvFeeds.Parse(
            Header + "\r\n" +
            "\"Emotet, epoch 5\",Url,\"http://evil.com/a,b\",,,\"says \"\"hi\"\"\r\nand more\",\r\n" +
            "\"Emotet, epoch 5\",FileName,\"in\"\"voice.exe\",Equals,,,\r\n");

        CsvFeeds.NoErrors(feed);
        var definition = Assert.Single(feed.Definitions);
        Assert.Equal("Emotet, epoch 5", definition.Metadata.Name);
        Assert.Collection(
            definition.Iocs,
            url =>
            {
                Assert.Equal("http://evil.com/a,b", url.Value);
                Assert.Equal("says \"hi\"\r\nand more", url.Description);
            },
            file => Assert.Equal("in\"voice.exe", file.Value));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public async Task Lf_and_crlf_line_ends_read_the_same(string newLine)
    {
        var feed = await CsvFeeds.Parse(string.Join(newLine, Header, "A,IpAddress,10.0.0.1,,,,", "A,IpAddress,10.0.0.0/8,,,,", string.Empty));

        CsvFeeds.NoErrors(feed);
        Assert.Equal(["10.0.0.1", "10.0.0.0/8"], Assert.Single(feed.Definitions).Iocs.Select(ioc => ioc.Value));
    }

    [Fact]
    public async Task A_last_record_without_a_line_break_is_read()
    {
        var feed = await CsvFeeds.Parse(Header + "\nA,IpAddress,10.0.0.1,,,,");

        Assert.Equal("10.0.0.1", Assert.Single(Assert.Single(feed.Definitions).Iocs).Value);
    }

    [Fact]
    public async Task A_utf8_byte_order_mark_does_not_hide_the_first_column()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Header + "\nA,IpAddress,10.0.0.1,,,,\n")).ToArray();

        var feed = await CsvFeeds.Parse(bytes);

        CsvFeeds.NoErrors(feed);
        Assert.Equal("A", Assert.Single(feed.Definitions).Metadata.Name);
    }

    [Fact]
    public async Task Errors_name_the_physical_line_where_the_bad_record_starts()
    {
        var feed = await CsvFeeds.Parse(
            Header + "\n" +                                           // line 1
            "A,IpAddress,10.0.0.1,,,,\n" +                             // line 2
            "A,IpAddress,not-an-ip,,,,\n" +                            // line 3
            "\n" +                                                     // line 4 (empty)
            "A,Url,http://evil.com/,,,\"three\nline\ndescription\",\n" + // lines 5-7
            "A,IpAddress,300.1.1.1,,,,\n" +                            // line 8
            "A,IpAddress,10.0.0.2,,,\"two\r\nlines\",\r\n" +           // lines 9-10
            "A,DomainName,bad domain,,,,\n");                          // line 11

        Assert.Equal(
            [("line 3", "not-an-ip"), ("line 8", "300.1.1.1"), ("line 11", "bad domain")],
            feed.Errors.Select(error => (error.Location, error.Value)));
        Assert.Equal(3, Assert.Single(feed.Definitions).Iocs.Count);
        Assert.Equal(6, feed.RowsRead);
    }

    [Fact]
    public async Task Header_names_are_matched_in_any_order_and_case_and_surrounding_blanks()
    {
        var feed = await CsvFeeds.Parse(
            " VALUE , Severity,TYPE,Definition\n" +
            "evil.com,low,domainname,Emotet\n");

        CsvFeeds.NoErrors(feed);
        var definition = Assert.Single(feed.Definitions);
        Assert.Equal(Severity.Low, definition.Metadata.Severity);
        var ioc = Assert.Single(definition.Iocs);
        Assert.Equal((IocType.DomainName, IocAction.EndsWith, "evil.com"), (ioc.Type, ioc.Action, ioc.Value));
    }

    [Fact]
    public async Task Unknown_columns_are_ignored()
    {
        var feed = await CsvFeeds.Parse(
            "first_seen,definition,type,value,confidence\n" +
            "2020-01-01,Emotet,IpAddress,10.0.0.1,90\n");

        CsvFeeds.NoErrors(feed);
        Assert.Equal("10.0.0.1", Assert.Single(Assert.Single(feed.Definitions).Iocs).Value);
    }

    [Theory]
    [InlineData("definition,value\nA,10.0.0.1\n", "type")]
    [InlineData("type,value,action\nIpAddress,10.0.0.1,\n", "definition")]
    [InlineData("definition,type,values\nA,IpAddress,10.0.0.1\n", "value")]
    public async Task A_missing_required_column_is_one_error_at_line_1(string csv, string missing)
    {
        var feed = await CsvFeeds.Parse(csv);

        var error = Assert.Single(feed.Errors);
        Assert.Equal("line 1", error.Location);
        Assert.Contains($"required column {missing}", error.Reason, StringComparison.Ordinal);
        Assert.Empty(feed.Definitions);
        Assert.Equal(0, feed.RowsRead);
    }

    [Fact]
    public async Task A_header_missing_several_columns_names_them_all()
    {
        var feed = await CsvFeeds.Parse("name,indicator\nA,10.0.0.1\n");

        var error = Assert.Single(feed.Errors);
        Assert.Contains("definition, type, value", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_column_named_twice_is_refused()
    {
        var feed = await CsvFeeds.Parse("definition,type,value,Value\nA,IpAddress,10.0.0.1,10.0.0.2\n");

        var error = Assert.Single(feed.Errors);
        Assert.Equal("line 1", error.Location);
        Assert.Contains("'value' appears twice", error.Reason, StringComparison.Ordinal);
        Assert.Empty(feed.Definitions);
    }

    [Fact]
    public async Task An_empty_body_is_an_error_but_a_header_alone_is_an_empty_feed()
    {
        var empty = await CsvFeeds.Parse(string.Empty);
        var headerOnly = await CsvFeeds.Parse(Header + "\r\n");

        Assert.Equal("line 1", Assert.Single(empty.Errors).Location);
        CsvFeeds.NoErrors(headerOnly);
        Assert.Empty(headerOnly.Definitions);
    }

    [Fact]
    public async Task Unknown_type_action_and_severity_are_rejected_by_name_while_valid_rows_come_through()
    {
        var feed = await CsvFeeds.Parse(
            Header + "\n" +
            "A,IpAddress,10.0.0.1,,,,\n" +
            "A,IPv4,10.0.0.2,,,,\n" +
            "A,IpAddress,10.0.0.3,Matches,,,\n" +
            "A,IpAddress,10.0.0.4,,Urgent,,\n" +
            "A,2,10.0.0.5,,,,\n" +
            "A,IpAddress,10.0.0.6,,4,,\n" +
            "A,ipaddress,10.0.0.7,EQUALS,high,,\n");

        Assert.Equal(
            [("line 3", "IPv4"), ("line 4", "Matches"), ("line 5", "Urgent"), ("line 6", "2"), ("line 7", "4")],
            feed.Errors.Select(error => (error.Location, error.Value)));
        Assert.StartsWith("type: 'IPv4' is not an IOC type", feed.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("IpAddress", feed.Errors[0].Reason, StringComparison.Ordinal);
        Assert.StartsWith("action: 'Matches' is not an action", feed.Errors[1].Reason, StringComparison.Ordinal);
        Assert.StartsWith("severity: 'Urgent' is not a severity", feed.Errors[2].Reason, StringComparison.Ordinal);
        var definition = Assert.Single(feed.Definitions);
        Assert.Equal(["10.0.0.1", "10.0.0.7"], definition.Iocs.Select(ioc => ioc.Value));
        Assert.Equal(Severity.High, definition.Metadata.Severity);
        Assert.Equal(7, feed.RowsRead);
    }

    [Fact]
    public async Task A_row_with_several_problems_reports_each_of_them()
    {
        var feed = await CsvFeeds.Parse(Header + "\nA,Hash,x,Maybe,Urgent,,tomorrow\n");

        Assert.Equal(["Hash", "Maybe", "Urgent", "tomorrow"], feed.Errors.Select(error => error.Value));
        Assert.All(feed.Errors, error => Assert.Equal("line 2", error.Location));
        Assert.Empty(feed.Definitions);
        Assert.Equal(1, feed.RowsRead);
    }

    [Fact]
    public async Task An_action_the_type_does_not_take_is_rejected()
    {
        var feed = await CsvFeeds.Parse(Header + "\nA,FileMd5,d41d8cd98f00b204e9800998ecf8427e,Contains,,,\n");

        var error = Assert.Single(feed.Errors);
        Assert.Equal("line 2", error.Location);
        Assert.Contains("FileMd5 IOCs take Equals", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_definition_type_or_value_are_row_errors()
    {
        var feed = await CsvFeeds.Parse(
            Header + "\n" +
            ",IpAddress,10.0.0.1,,,,\n" +
            "A,,10.0.0.2,,,,\n" +
            "A,IpAddress,,,,,\n");

        Assert.Equal(["line 2", "line 3", "line 4"], feed.Errors.Select(error => error.Location));
        Assert.Contains("name", feed.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("type", feed.Errors[1].Reason, StringComparison.Ordinal);
        Assert.Contains("value is required", feed.Errors[2].Reason, StringComparison.Ordinal);
        Assert.Equal(3, feed.RowsRead);
    }

    [Theory]
    [InlineData("FileSha256", "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", IocAction.Equals)]
    [InlineData("FileSha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709", IocAction.Equals)]
    [InlineData("FileMd5", "d41d8cd98f00b204e9800998ecf8427e", IocAction.Equals)]
    [InlineData("CertificateThumbprint", "da39a3ee5e6b4b0d3255bfef95601890afd80709", IocAction.Equals)]
    [InlineData("IpAddress", "10.0.0.1", IocAction.Equals)]
    [InlineData("IpAddress", "10.0.0.0/8", IocAction.InRange)]
    [InlineData("IpAddress", "2001:db8::/32", IocAction.InRange)]
    [InlineData("DomainName", "evil.com", IocAction.EndsWith)]
    [InlineData("Url", "http://evil.com/gate.php", IocAction.StartsWith)]
    [InlineData("Url", "evil.com/gate.php", IocAction.StartsWith)]
    [InlineData("EmailAddress", "boss@evil.com", IocAction.Equals)]
    [InlineData("FileName", "invoice.exe", IocAction.Equals)]
    [InlineData("ProcessName", "mimikatz.exe", IocAction.Equals)]
    public async Task An_empty_action_takes_the_default_of_the_type(string type, string value, IocAction expected)
    {
        var feed = await CsvFeeds.Parse($"{Header}\nA,{type},{value},,,,\n");

        CsvFeeds.NoErrors(feed);
        Assert.Equal(expected, Assert.Single(Assert.Single(feed.Definitions).Iocs).Action);
    }

    [Theory]
    [InlineData("2026-12-31T23:59:59Z", "2026-12-31T23:59:59.0000000Z")]
    [InlineData("2026-12-31T23:59:59+00:00", "2026-12-31T23:59:59.0000000Z")]
    [InlineData("2026-12-31t23:59:59z", "2026-12-31T23:59:59.0000000Z")]
    [InlineData("2026-12-31T23:59Z", "2026-12-31T23:59:00.0000000Z")]
    [InlineData("2026-12-31T23:59:59.1234567Z", "2026-12-31T23:59:59.1234567Z")]
    [InlineData("2027-01-01T01:59:59+02:00", "2026-12-31T23:59:59.0000000Z")]
    [InlineData("2026-12-31T20:00:00-05:00", "2027-01-01T01:00:00.0000000Z")]
    public async Task ExpiresAt_with_an_offset_is_read_as_utc(string text, string expectedRoundTrip)
    {
        var feed = await CsvFeeds.Parse($"{Header}\nA,IpAddress,10.0.0.1,,,,{text}\n");

        CsvFeeds.NoErrors(feed);
        var expiresAt = Assert.Single(Assert.Single(feed.Definitions).Iocs).ExpiresAt;
        Assert.NotNull(expiresAt);
        Assert.Equal(DateTimeKind.Utc, expiresAt.Value.Kind);
        Assert.Equal(expectedRoundTrip, expiresAt.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2026-12-31T23:59:59", "has no time zone")]
    [InlineData("2026-12-31", "is not an ISO-8601 time")]
    [InlineData("31/12/2026 23:59", "is not an ISO-8601 time")]
    [InlineData("tomorrow", "is not an ISO-8601 time")]
    [InlineData("2026-02-30T00:00:00Z", "is not a valid date and time")]
    [InlineData("2026-12-31T24:00:00Z", "is not a valid date and time")]
    public async Task ExpiresAt_without_an_offset_or_not_iso_is_rejected(string text, string reason)
    {
        var feed = await CsvFeeds.Parse($"{Header}\nA,IpAddress,10.0.0.1,,,,{text}\nA,IpAddress,10.0.0.2,,,,\n");

        var error = Assert.Single(feed.Errors);
        Assert.Equal(("line 2", text), (error.Location, error.Value));
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.Equal("10.0.0.2", Assert.Single(Assert.Single(feed.Definitions).Iocs).Value);
    }

    [Fact]
    public async Task An_empty_expiry_means_never()
    {
        var feed = await CsvFeeds.Parse($"{Header}\nA,IpAddress,10.0.0.1,,,,\n");

        Assert.Null(Assert.Single(Assert.Single(feed.Definitions).Iocs).ExpiresAt);
    }

    [Fact]
    public async Task Duplicate_rows_and_other_spellings_of_one_value_collapse_into_one_ioc()
    {
        var feed = await CsvFeeds.Parse(
            Header + "\n" +
            "Emotet,DomainName,evil.com,,,first,\n" +
            "Emotet,DomainName,evil.com,,,second,\n" +
            "EMOTET,DomainName,EVIL.COM.,EndsWith,,,\n" +
            "emotet,IpAddress,::ffff:10.0.0.1,,,,\n" +
            "Emotet,IpAddress,10.0.0.1,,,,\n" +
            "Emotet,DomainName,evil.com,Equals,,,\n");

        CsvFeeds.NoErrors(feed);
        var definition = Assert.Single(feed.Definitions);
        Assert.Equal(
            [(IocType.DomainName, IocAction.EndsWith, "evil.com"), (IocType.IpAddress, IocAction.Equals, "10.0.0.1"), (IocType.DomainName, IocAction.Equals, "evil.com")],
            definition.Iocs.Select(ioc => (ioc.Type, ioc.Action, ioc.Value)));
        Assert.Equal("first", definition.Iocs[0].Description);
        Assert.Equal(6, feed.RowsRead);
    }

    [Fact]
    public async Task Rows_of_several_definitions_are_filed_under_their_definition()
    {
        var feed = await CsvFeeds.Parse(
            Header + "\n" +
            "Emotet,DomainName,a.com,,High,,\n" +
            "Qakbot,DomainName,b.com,,,,\n" +
            "Emotet,DomainName,c.com,,,,\n");

        Assert.Equal(["Emotet", "Qakbot"], feed.Definitions.Select(definition => definition.Metadata.Name));
        Assert.Equal(["a.com", "c.com"], feed.Definitions[0].Iocs.Select(ioc => ioc.Value));
        Assert.Equal(Severity.High, feed.Definitions[0].Metadata.Severity);
        Assert.Equal(Severity.Medium, feed.Definitions[1].Metadata.Severity);
    }

    [Fact]
    public async Task The_last_severity_given_for_a_definition_wins_and_an_empty_one_changes_nothing()
    {
        var feed = await CsvFeeds.Parse(
            Header + "\n" +
            "Emotet,DomainName,a.com,,Low,,\n" +
            "Emotet,DomainName,b.com,,Critical,,\n" +
            "Emotet,DomainName,c.com,,,,\n");

        Assert.Equal(Severity.Critical, Assert.Single(feed.Definitions).Metadata.Severity);
    }

    [Fact]
    public async Task Empty_lines_and_rows_of_empty_fields_are_skipped()
    {
        var feed = await CsvFeeds.Parse(Header + "\n\n,,,,,,\n  ,  ,,,,,\nA,IpAddress,10.0.0.1,,,,\n\n\n");

        CsvFeeds.NoErrors(feed);
        Assert.Equal(1, feed.RowsRead);
    }

    [Fact]
    public async Task Fields_are_trimmed_and_short_rows_read_missing_fields_as_empty()
    {
        var feed = await CsvFeeds.Parse(Header + "\n  Emotet  , IpAddress ,  10.0.0.1  \n");

        CsvFeeds.NoErrors(feed);
        var definition = Assert.Single(feed.Definitions);
        Assert.Equal("Emotet", definition.Metadata.Name);
        Assert.Equal("10.0.0.1", Assert.Single(definition.Iocs).Value);
    }

    [Fact]
    public async Task A_stray_quote_rejects_only_its_own_row()
    {
        var feed = await CsvFeeds.Parse(
            Header + "\n" +
            "A,FileName,in\"voice.exe,,,,\n" +
            "A,FileName,\"report\"x.exe,,,,\n" +
            "A,FileName,ok.exe,,,,\n");

        Assert.Equal(
            [("line 2", "A,FileName,in\"voice.exe,,,,"), ("line 3", "A,FileName,\"report\"x.exe,,,,")],
            feed.Errors.Select(error => (error.Location, error.Value)));
        Assert.Contains("quote inside an unquoted field", feed.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("text after the closing quote", feed.Errors[1].Reason, StringComparison.Ordinal);
        Assert.Equal("ok.exe", Assert.Single(Assert.Single(feed.Definitions).Iocs).Value);
        Assert.Equal(3, feed.RowsRead);
    }

    [Fact]
    public async Task A_quote_that_is_never_closed_rejects_the_whole_body_naming_the_line_where_it_opens()
    {
        var exception = await Assert.ThrowsAsync<FeedFormatException>(() => CsvFeeds.Parse(
            Header + "\n" +
            "A,FileName,ok.exe,,,,\n" +
            "A,FileName,\"never closed.exe,,,,\n" +
            "A,FileName,swallowed.exe,,,,\n"));

        Assert.Contains("line 3", exception.Message, StringComparison.Ordinal);
        Assert.Contains("never closed", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_with_broken_quoting_is_refused()
    {
        var feed = await CsvFeeds.Parse("defini\"tion,type,value\nA,IpAddress,10.0.0.1\n");

        var error = Assert.Single(feed.Errors);
        Assert.Equal("line 1", error.Location);
        Assert.Contains("header", error.Reason, StringComparison.Ordinal);
        Assert.Empty(feed.Definitions);
    }

    [Fact]
    public async Task Semicolons_and_tabs_are_not_taken_for_separators()
    {
        var feed = await CsvFeeds.Parse("definition;type;value\nA;IpAddress;10.0.0.1\n");

        Assert.Contains("required columns definition, type, value", Assert.Single(feed.Errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_description_over_the_limit_is_rejected()
    {
        var description = new string('x', FieldLimits.IocDescriptionMaxLength + 1);
        var feed = await CsvFeeds.Parse($"{Header}\nA,IpAddress,10.0.0.1,,,{description},\n");

        Assert.Contains("description", Assert.Single(feed.Errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_longer_than_a_megabyte_rejects_the_whole_body()
    {
        var huge = new string('x', 2 << 20);

        var exception = await Assert.ThrowsAsync<FeedFormatException>(
            () => CsvFeeds.Parse($"{Header}\nA,IpAddress,10.0.0.1,,,,\nA,FileName,\"{huge}"));

        Assert.Contains("line 3", exception.Message, StringComparison.Ordinal);
        Assert.Contains("longer than 1024 KiB", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_first_errors_are_kept_but_all_are_counted()
    {
        var rows = string.Concat(Enumerable.Range(0, 50).Select(i => $"A,IpAddress,bad{i},,,,\n"));
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(Header + "\n" + rows));

        var feed = await new CsvFeedParser().ParseAsync(body, new FeedParseOptions(MaxReportedErrors: 10), CancellationToken.None);

        Assert.Equal(10, feed.Errors.Count);
        Assert.Equal(50, feed.ErrorCount);
        Assert.Equal(50, feed.RowsRead);
    }

    [Fact]
    public async Task The_body_stream_is_left_open()
    {
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(Header + "\nA,IpAddress,10.0.0.1,,,,\n"));

        await new CsvFeedParser().ParseAsync(body, new FeedParseOptions(), CancellationToken.None);

        Assert.True(body.CanRead);
    }

    [Fact]
    public async Task Reads_the_body_without_synchronous_io()
    {
        var rows = string.Concat(Enumerable.Range(0, 5_000).Select(i => $"A,IpAddress,10.0.{i / 256}.{i % 256},,,,\n"));
        await using var body = new NoSyncIoStream(new MemoryStream(Encoding.UTF8.GetBytes(Header + "\n" + rows)));

        var feed = await new CsvFeedParser().ParseAsync(body, new FeedParseOptions(), CancellationToken.None);

        CsvFeeds.NoErrors(feed);
        Assert.Equal(5_000, Assert.Single(feed.Definitions).Iocs.Count);
    }

    [Fact]
    public async Task A_cancelled_parse_throws()
    {
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(Header + "\nA,IpAddress,10.0.0.1,,,,\n"));
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new CsvFeedParser().ParseAsync(body, new FeedParseOptions(), cancellation.Token));
    }

    [Fact]
    public async Task A_large_body_is_read_in_full()
    {
        var rows = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"A,IpAddress,10.{i / 256 % 256}.{i % 256}.1,,,,\n"));

        var feed = await CsvFeeds.Parse(Header + "\n" + rows);

        CsvFeeds.NoErrors(feed);
        Assert.Equal(20_000, Assert.Single(feed.Definitions).Iocs.Count);
    }
}

/// <summary>Helpers shared by the CSV and plain-list tests.</summary>
internal static class CsvFeeds
{
    public static Task<ParsedFeed> Parse(string csv) => Parse(Encoding.UTF8.GetBytes(csv));

    public static async Task<ParsedFeed> Parse(byte[] csv)
    {
        using var body = new MemoryStream(csv);
        return await new CsvFeedParser().ParseAsync(body, new FeedParseOptions(), CancellationToken.None);
    }

    public static void NoErrors(ParsedFeed feed) =>
        Assert.True(
            feed.Errors.Count == 0,
            "Unexpected errors: " + string.Join("; ", feed.Errors.Select(error => $"{error.Location} '{error.Value}': {error.Reason}")));

    /// <summary>
    /// The path of a fixture of <c>tests/ThreatIntel.Core.Tests/Feeds/Fixtures</c>: the copy in the test output when the
    /// project copies the fixtures there, otherwise the file in the source tree (found by walking up from the test
    /// binaries to the folder holding <c>ThreatIntel.sln</c>).
    /// </summary>
    public static string FixturePath(string name)
    {
        var copy = Path.Combine(AppContext.BaseDirectory, "Feeds", "Fixtures", name);
        if (File.Exists(copy))
        {
            return copy;
        }

        var path = Path.Combine(RepositoryRoot(), "tests", "ThreatIntel.Core.Tests", "Feeds", "Fixtures", name);
        Assert.True(File.Exists(path), $"The fixture {path} is missing.");
        return path;
    }

    /// <summary>The folder holding <c>ThreatIntel.sln</c>, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ThreatIntel.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ThreatIntel.sln above {AppContext.BaseDirectory}; the fixtures are read from the source tree.");
    }
}

/// <summary>
/// A stream that refuses synchronous reads, writes and flushes, as ASP.NET Core's request and response bodies do
/// (AllowSynchronousIO is off), so that a format that blocks on I/O fails its tests.
/// </summary>
internal sealed class NoSyncIoStream(Stream inner) : Stream
{
    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush() => throw new InvalidOperationException("Synchronous flush.");

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous read.");

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous write.");

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
