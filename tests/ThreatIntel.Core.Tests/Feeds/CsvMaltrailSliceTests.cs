using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Feeds;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Tests.Feeds;

/// <summary>
/// 187 real maltrail trails from five files, converted to CSV as a simple pipeline would (see Fixtures/README.md):
/// the definition is the file name, the type guessed from the value's shape, the description the trail's comment or
/// the file's last <c>Reference:</c>. Values keep maltrail's own quirks: trailing blanks, <c>ip:port</c>, URLs without
/// a scheme, a generic path.
/// </summary>
public class CsvMaltrailSliceTests
{
    private static async Task<ParsedFeed> Slice() =>
        await CsvFeeds.Parse(await File.ReadAllBytesAsync(CsvFeeds.FixturePath("maltrail-slice.csv")));

    [Fact]
    public async Task Every_row_is_read_and_files_land_in_one_definition_each()
    {
        var feed = await Slice();

        Assert.Equal(187, feed.RowsRead);
        Assert.Equal(
            [("apt_darkhotel", Severity.High, 40), ("apt_lazarus", Severity.High, 88), ("bundlebot", Severity.High, 0),
             ("mstealer", Severity.Medium, 3), ("mass_scanner_cidr", Severity.Low, 50)],
            feed.Definitions.Select(definition => (definition.Metadata.Name, definition.Metadata.Severity, definition.Iocs.Count)));
    }

    [Fact]
    public async Task Ip_with_port_rows_are_rejected_by_line_because_csv_types_are_taken_as_given()
    {
        var feed = await Slice();

        Assert.Equal(
            [("line 101", "194.45.8.41:443"), ("line 132", "139.99.38.193:5505"), ("line 133", "139.99.80.193:5505"),
             ("line 134", "51.79.180.158:5505"), ("line 135", "85.239.242.27:5505")],
            feed.Errors.Select(error => (error.Location, error.Value)));
        Assert.All(feed.Errors, error => Assert.Contains("is not an IPv4 or IPv6 address", error.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Counts_by_type_and_action_match_the_trails()
    {
        var feed = await Slice();

        var counts = feed.Definitions
            .SelectMany(definition => definition.Iocs)
            .GroupBy(ioc => (ioc.Type, ioc.Action))
            .ToDictionary(group => group.Key, group => group.Count());
        Assert.Equal(
            new Dictionary<(IocType, IocAction), int>
            {
                [(IocType.DomainName, IocAction.EndsWith)] = 40 + 22 + 2,
                [(IocType.IpAddress, IocAction.Equals)] = 4,
                [(IocType.IpAddress, IocAction.InRange)] = 50,
                [(IocType.Url, IocAction.StartsWith)] = 61,
                [(IocType.Url, IocAction.Contains)] = 2,
            },
            counts);
    }

    [Fact]
    public async Task Values_are_trimmed_normalised_and_a_repeated_trail_is_kept_once()
    {
        var feed = await Slice();
        var lazarus = feed.Definitions.Single(definition => definition.Metadata.Name == "apt_lazarus");

        Assert.Contains(lazarus.Iocs, ioc => ioc.Value == "ap8898.com/include/arc.search.class.php");
        Assert.Contains(lazarus.Iocs, ioc => ioc.Value == "http://103.53.176.145:8080/ServiceDeskPlus/products.do");
        Assert.Contains(lazarus.Iocs, ioc => ioc.Value == "difa.or.kr/common/asp/inc_Comn.asp");
        Assert.Single(lazarus.Iocs, ioc => ioc.Value == "byucksanpaint.com/community/com_gon_open.asp");
        Assert.Contains(lazarus.Iocs, ioc => (ioc.Type, ioc.Action, ioc.Value) == (IocType.Url, IocAction.Contains, "/tbl_add.php"));
    }

    [Fact]
    public async Task Trailing_comments_and_references_become_descriptions()
    {
        var feed = await Slice();

        var scanner = feed.Definitions.Single(definition => definition.Metadata.Name == "mass_scanner_cidr").Iocs[0];
        Assert.Equal(("5.63.151.0/24", "scanners.labs.rapid7.com"), (scanner.Value, scanner.Description));
        var darkhotel = feed.Definitions.Single(definition => definition.Metadata.Name == "apt_darkhotel").Iocs[0];
        Assert.Equal("http://securelist.com/blog/research/66779/the-darkhotel-apt/", darkhotel.Description);
    }
}
