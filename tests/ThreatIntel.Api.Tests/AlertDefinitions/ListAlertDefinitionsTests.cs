using System.Net;
using System.Net.Http.Json;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.AlertDefinitions;

public sealed class ListAlertDefinitionsTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Pages_split_the_list_and_report_the_total_count()
    {
        var token = TestData.Token();
        var created = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await _client.CreateDefinitionAsync($"{token} {i}")).Id);
        }

        var page1 = await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={token}&pageSize=2&page=1");
        var page2 = await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={token}&pageSize=2&page=2");
        var page3 = await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={token}&pageSize=2&page=3");
        var page4 = await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={token}&pageSize=2&page=4");

        Assert.Equal([2, 2, 1, 0], new[] { page1, page2, page3, page4 }.Select(p => p.Items.Length));
        Assert.All(new[] { page1, page2, page3, page4 }, p => Assert.Equal(5, p.TotalCount));
        Assert.All(new[] { page1, page2, page3, page4 }, p => Assert.Equal(2, p.PageSize));
        Assert.Equal(3, page3.Page);
        Assert.Equal(
            created.Order(),
            page1.Items.Concat(page2.Items).Concat(page3.Items).Select(d => d.Id).Order());
    }

    [Fact]
    public async Task Without_paging_parameters_the_first_page_of_50_is_returned()
    {
        var page = await _client.GetPageAsync<DefinitionDto>(Routes.Definitions);

        Assert.Equal(1, page.Page);
        Assert.Equal(50, page.PageSize);
    }

    [Fact]
    public async Task Search_matches_name_or_description_case_insensitively()
    {
        var token = TestData.Token();
        var byName = await _client.CreateDefinitionAsync($"Loader {token.ToUpperInvariant()}");
        var byDescription = await _client.CreateDefinitionAsync(new { name = TestData.Name(), severity = "Low", description = $"Seen with {token}" });
        await _client.CreateDefinitionAsync();

        var page = await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={token}");

        Assert.Equal(2, page.TotalCount);
        Assert.Equal(new[] { byName.Id, byDescription.Id }.Order(), page.Items.Select(d => d.Id).Order());
    }

    [Fact]
    public async Task Search_treats_like_wildcards_literally()
    {
        var token = TestData.Token();
        var percent = await _client.CreateDefinitionAsync($"{token} 100% sure");
        await _client.CreateDefinitionAsync($"{token} 1000 sure");
        await _client.CreateDefinitionAsync($"{token} a_b");
        await _client.CreateDefinitionAsync($"{token} axb");

        var percentPage = await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={Uri.EscapeDataString($"{token} 100%")}");
        var underscorePage = await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={Uri.EscapeDataString($"{token} a_b")}");

        Assert.Equal(percent.Id, Assert.Single(percentPage.Items).Id);
        Assert.Equal($"{token} a_b", Assert.Single(underscorePage.Items).Name);
    }

    [Fact]
    public async Task Severity_and_enabled_filters_combine()
    {
        var token = TestData.Token();
        var highEnabled = await _client.CreateDefinitionAsync(new { name = $"{token} 1", severity = "High", enabled = true });
        var highDisabled = await _client.CreateDefinitionAsync(new { name = $"{token} 2", severity = "High", enabled = false });
        await _client.CreateDefinitionAsync(new { name = $"{token} 3", severity = "Low", enabled = false });

        var high = await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={token}&severity=high");
        var highAndDisabled = await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={token}&severity=High&enabled=false");
        var disabled = await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={token}&enabled=false");

        Assert.Equal(new[] { highEnabled.Id, highDisabled.Id }.Order(), high.Items.Select(d => d.Id).Order());
        Assert.Equal(highDisabled.Id, Assert.Single(highAndDisabled.Items).Id);
        Assert.Equal(2, disabled.TotalCount);
    }

    [Fact]
    public async Task A_repeated_severity_matches_any_of_them()
    {
        var token = TestData.Token();
        var high = await _client.CreateDefinitionAsync(new { name = $"{token} high", severity = "High" });
        var low = await _client.CreateDefinitionAsync(new { name = $"{token} low", severity = "Low" });
        await _client.CreateDefinitionAsync(new { name = $"{token} medium", severity = "Medium" });

        var highOrLow = await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={token}&severity=High&severity=low");

        Assert.Equal(new[] { high.Id, low.Id }.Order(), highOrLow.Items.Select(d => d.Id).Order());
        Assert.Equal(2, highOrLow.TotalCount);
    }

    [Fact]
    public async Task Source_filter_finds_only_feed_managed_definitions_never_hand_made_ones()
    {
        var token = TestData.Token();
        await _client.CreateDefinitionAsync($"{token} hand-made");

        var all = await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={token}");
        var fromFeed = await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={token}&source=abuse-ch");

        Assert.Null(Assert.Single(all.Items).Source);
        Assert.Empty(fromFeed.Items);
        Assert.Equal(0, fromFeed.TotalCount);
    }

    [Fact]
    public async Task Definitions_report_how_many_iocs_they_hold()
    {
        var token = TestData.Token();
        var withIocs = await _client.CreateDefinitionAsync($"{token} with", iocs: [new { type = "FileMd5", value = TestData.Md5() }]);
        await _client.AddIocAsync(withIocs.Id, new { type = "IpAddress", value = TestData.IPv4() });
        await _client.CreateDefinitionAsync($"{token} without");

        var page = await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={token}&sort=name");

        Assert.Equal([2, 0], page.Items.Select(d => d.IocCount));
    }

    [Theory]
    [InlineData("name", new[] { "A", "b", "C" })]
    [InlineData("-name", new[] { "C", "b", "A" })]
    [InlineData("", new[] { "A", "b", "C" })]
    public async Task Sort_by_name_ignores_case(string sort, string[] expectedSuffixes)
    {
        var token = TestData.Token();
        foreach (var suffix in new[] { "b", "C", "A" })
        {
            await _client.CreateDefinitionAsync($"{token} {suffix}");
        }

        var page = await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={token}&sort={sort}");

        Assert.Equal(expectedSuffixes.Select(s => $"{token} {s}"), page.Items.Select(d => d.Name));
    }

    [Theory]
    [InlineData("severity", new[] { "info", "low", "high-a", "high-z", "critical" })]
    [InlineData("-severity", new[] { "critical", "high-a", "high-z", "low", "info" })]
    public async Task Sort_by_severity_follows_urgency_then_name(string sort, string[] expected)
    {
        var token = TestData.Token();
        foreach (var (suffix, severity) in new[] { ("high-z", "High"), ("low", "Low"), ("critical", "Critical"), ("info", "Informational"), ("high-a", "High") })
        {
            await _client.CreateDefinitionAsync($"{token} {suffix}", severity);
        }

        var page = await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={token}&sort={sort}");

        Assert.Equal(expected.Select(s => $"{token} {s}"), page.Items.Select(d => d.Name));
    }

    [Fact]
    public async Task Sort_by_updated_at_puts_the_most_recently_changed_last_or_first()
    {
        var token = TestData.Token();
        var first = await _client.CreateDefinitionAsync($"{token} first");
        var second = await _client.CreateDefinitionAsync($"{token} second");
        var third = await _client.CreateDefinitionAsync($"{token} third");
        var update = await _client.PutAsJsonAsync(Routes.Definition(first.Id), new { name = $"{token} first", severity = "Low" });
        await update.ShouldHaveStatusAsync(HttpStatusCode.OK);

        var ascending = await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={token}&sort=updatedAt");
        var descending = await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={token}&sort=-updatedAt");

        Assert.Equal([second.Id, third.Id, first.Id], ascending.Items.Select(d => d.Id));
        Assert.Equal([first.Id, third.Id, second.Id], descending.Items.Select(d => d.Id));
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=1001", "pageSize")]
    [InlineData("page=abc", "page")]
    [InlineData("page=3000000&pageSize=1000", "page")]
    [InlineData("sort=bogus", "sort")]
    [InlineData("sort=1", "sort")]
    [InlineData("sort=name,updatedAt", "sort")]
    [InlineData("severity=Severe", "severity")]
    [InlineData("severity=3", "severity")]
    [InlineData("severity=High,Low", "severity")]
    [InlineData("enabled=maybe", "enabled")]
    public async Task Invalid_list_parameters_are_a_400_naming_the_parameter(string query, string field)
    {
        var response = await _client.GetAsync($"{Routes.Definitions}?{query}");

        await response.ReadValidationErrorsAsync(field);
    }

    [Fact]
    public async Task The_largest_page_size_is_accepted()
    {
        var page = await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?pageSize=1000");

        Assert.Equal(1000, page.PageSize);
    }
}
