using System.Globalization;
using System.Net;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Iocs;

public sealed class IocLookupTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("FileSha1")]
    [InlineData("FileSha256")]
    [InlineData("FileMd5")]
    [InlineData("CertificateThumbprint")]
    public async Task An_upper_case_hash_finds_the_stored_lower_case_one(string type)
    {
        var hash = type switch { "FileSha256" => TestData.Sha256(), "FileMd5" => TestData.Md5(), _ => TestData.Sha1() };
        var definition = await _client.CreateDefinitionAsync();
        var ioc = await _client.AddIocAsync(definition.Id, new { type, value = hash });

        var page = await _client.LookupAsync(type, $" {hash.ToUpperInvariant()} ");

        Assert.Equal(ioc.Id, Assert.Single(page.Items).Id);
        Assert.Equal(1, page.TotalCount);
    }

    [Fact]
    public async Task A_domain_is_found_whatever_its_case_trailing_dot_or_idn_spelling()
    {
        var label = $"bücher{Guid.NewGuid():N}";
        var punycode = new IdnMapping().GetAscii($"{label}.example");
        var definition = await _client.CreateDefinitionAsync();
        var ioc = await _client.AddIocAsync(definition.Id, new { type = "DomainName", value = $"{label}.example" });

        Assert.Equal(punycode, ioc.Value);
        foreach (var spelling in new[] { punycode, punycode.ToUpperInvariant() + ".", $"{label.ToUpperInvariant()}.Example." })
        {
            Assert.Equal(ioc.Id, Assert.Single((await _client.LookupAsync("DomainName", spelling)).Items).Id);
        }
    }

    [Fact]
    public async Task A_domain_look_up_is_exact_so_a_sub_domain_does_not_find_an_ends_with_ioc()
    {
        var domain = TestData.Domain();
        var definition = await _client.CreateDefinitionAsync();
        await _client.AddIocAsync(definition.Id, new { type = "DomainName", value = domain, action = "EndsWith" });

        var page = await _client.LookupAsync("DomainName", $"www.{domain}");

        Assert.Empty(page.Items);
    }

    [Fact]
    public async Task An_ipv4_mapped_ipv6_address_finds_the_ipv4_ioc_and_back()
    {
        var address = TestData.IPv4();
        var mappedStored = TestData.IPv4();
        var definition = await _client.CreateDefinitionAsync();
        var ipv4 = await _client.AddIocAsync(definition.Id, new { type = "IpAddress", value = address });
        var fromMapped = await _client.AddIocAsync(definition.Id, new { type = "IpAddress", value = $"::FFFF:{mappedStored}" });

        Assert.Equal(ipv4.Id, Assert.Single((await _client.LookupAsync("IpAddress", $"::ffff:{address}")).Items).Id);
        Assert.Equal(fromMapped.Id, Assert.Single((await _client.LookupAsync("IpAddress", mappedStored)).Items).Id);
    }

    [Fact]
    public async Task An_ipv6_address_is_found_in_any_spelling_and_a_cidr_finds_the_range()
    {
        var suffix = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..2]);
        var definition = await _client.CreateDefinitionAsync();
        var address = await _client.AddIocAsync(definition.Id, new { type = "IpAddress", value = $"2001:db8:{suffix}::1" });
        var range = await _client.AddIocAsync(definition.Id, new { type = "IpAddress", value = $"2001:db8:{suffix}:1::/64" });

        var byExpanded = await _client.LookupAsync("IpAddress", $"2001:0DB8:{suffix.ToUpperInvariant()}:0000:0000:0000:0000:0001");
        var byRange = await _client.LookupAsync("IpAddress", $"2001:DB8:{suffix}:1:0::/64");

        Assert.Equal(address.Id, Assert.Single(byExpanded.Items).Id);
        Assert.Equal(range.Id, Assert.Single(byRange.Items).Id);
    }

    [Fact]
    public async Task Free_text_is_found_case_insensitively_and_keeps_its_stored_spelling()
    {
        var fileName = $"Tool-{Guid.NewGuid():N}.EXE";
        var definition = await _client.CreateDefinitionAsync();
        var ioc = await _client.AddIocAsync(definition.Id, new { type = "FileName", value = fileName });

        var page = await _client.LookupAsync("FileName", fileName.ToLowerInvariant());

        Assert.Equal(fileName, Assert.Single(page.Items, i => i.Id == ioc.Id).Value);
    }

    [Fact]
    public async Task A_value_is_found_in_every_definition_that_holds_it()
    {
        var hash = TestData.Sha1();
        var first = await _client.CreateDefinitionAsync(iocs: [new { type = "FileSha1", value = hash }]);
        var second = await _client.CreateDefinitionAsync(iocs: [new { type = "FileSha1", value = hash }]);
        await _client.CreateDefinitionAsync(iocs: [new { type = "FileSha1", value = TestData.Sha1() }]);

        var page = await _client.LookupAsync("FileSha1", hash);

        Assert.Equal(new[] { first.Id, second.Id }.Order(), page.Items.Select(i => i.AlertDefinitionId).Order());
        Assert.Equal(2, page.TotalCount);
    }

    [Fact]
    public async Task The_action_filter_narrows_a_look_up_to_iocs_with_that_action()
    {
        var domain = TestData.Domain();
        var definition = await _client.CreateDefinitionAsync();
        var endsWith = await _client.AddIocAsync(definition.Id, new { type = "DomainName", value = domain, action = "EndsWith" });
        var equals = await _client.AddIocAsync(definition.Id, new { type = "DomainName", value = domain, action = "Equals" });

        var any = await _client.LookupAsync("DomainName", domain);
        var onlyEquals = await _client.LookupAsync("DomainName", domain, "Equals");

        Assert.Equal(new[] { endsWith.Id, equals.Id }.Order(), any.Items.Select(i => i.Id).Order());
        Assert.Equal(equals.Id, Assert.Single(onlyEquals.Items).Id);
    }

    [Fact]
    public async Task A_type_without_a_value_lists_the_iocs_of_that_type()
    {
        var definition = await _client.CreateDefinitionAsync();
        var email = await _client.AddIocAsync(definition.Id, new { type = "EmailAddress", value = $"{TestData.Token()}@evil.example" });
        await _client.AddIocAsync(definition.Id, new { type = "FileMd5", value = TestData.Md5() });

        var page = await _client.GetPageAsync<IocDto>($"{Routes.Iocs}?type=EmailAddress&pageSize=1000");

        Assert.Contains(page.Items, i => i.Id == email.Id);
        Assert.All(page.Items, i => Assert.Equal("EmailAddress", i.Type));
    }

    [Fact]
    public async Task A_value_nobody_holds_finds_an_empty_page()
    {
        var page = await _client.LookupAsync("FileSha256", TestData.Sha256());

        Assert.Empty(page.Items);
        Assert.Equal(0, page.TotalCount);
    }

    [Theory]
    [InlineData("value=92cfceb39d57d914ed8b14d0e37643de0797ae56", "type")]
    [InlineData("type=FileSha1&value=abc", "value")]
    [InlineData("type=IpAddress&value=999.1.1.1", "value")]
    [InlineData("type=Sha1&value=92cfceb39d57d914ed8b14d0e37643de0797ae56", "type")]
    [InlineData("type=0&value=92cfceb39d57d914ed8b14d0e37643de0797ae56", "type")]
    [InlineData("type=FileSha1,FileMd5", "type")]
    [InlineData("type=FileSha1&action=Fuzzy", "action")]
    [InlineData("type=FileSha1&page=0", "page")]
    public async Task Invalid_look_ups_are_a_400_naming_the_parameter(string query, string field)
    {
        var response = await _client.GetAsync($"{Routes.Iocs}?{query}");

        await response.ReadValidationErrorsAsync(field);
    }

    [Fact]
    public async Task A_missing_type_explains_that_values_are_normalised_per_type()
    {
        var response = await _client.GetAsync($"{Routes.Iocs}?value=evil.com");

        var errors = await response.ReadValidationErrorsAsync("type");
        Assert.Contains("type is required", errors["type"].Single(), StringComparison.Ordinal);
    }
}
