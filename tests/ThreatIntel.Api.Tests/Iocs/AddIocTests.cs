using System.Net;
using System.Net.Http.Json;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Iocs;

public sealed class AddIocTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Add_returns_201_with_location_and_etag_and_counts_towards_the_definition()
    {
        var definition = await _client.CreateDefinitionAsync();

        var response = await _client.PostAsJsonAsync(Routes.DefinitionIocs(definition.Id), new
        {
            type = "FileSha1",
            value = "92CFCEB39D57D914ED8B14D0E37643DE0797AE56",
            action = "Equals",
            description = "  Dropper seen in the March campaign  ",
            enabled = false,
            expiresAt = "2030-01-01T00:00:00+02:00",
        });

        var created = await response.ReadAsync<IocDto>(HttpStatusCode.Created);
        Assert.Equal(definition.Id, created.AlertDefinitionId);
        Assert.Equal("FileSha1", created.Type);
        Assert.Equal("92cfceb39d57d914ed8b14d0e37643de0797ae56", created.Value);
        Assert.Equal("Equals", created.Action);
        Assert.Equal("Dropper seen in the March campaign", created.Description);
        Assert.False(created.Enabled);
        Assert.Equal(new DateTime(2029, 12, 31, 22, 0, 0, DateTimeKind.Utc), created.ExpiresAt);
        Assert.Null(created.Source);
        Assert.Equal(created.CreatedAt, created.UpdatedAt);

        Assert.NotNull(response.Headers.Location);
        Assert.True(response.Headers.Location.IsAbsoluteUri, "Location is absolute, as for every other created resource.");
        Assert.EndsWith(Routes.Ioc(created.Id), response.Headers.Location.ToString(), StringComparison.Ordinal);
        var stored = await _client.GetAsync(response.Headers.Location);
        Assert.Equal(created.Value, (await stored.ReadAsync<IocDto>(HttpStatusCode.OK)).Value);
        Assert.Equal(response.ETag(), stored.ETag());
        Assert.Equal(1, (await _client.GetDefinitionAsync(definition.Id)).Definition.IocCount);
    }

    [Fact]
    public async Task Optional_fields_left_out_mean_enabled_and_never_expiring()
    {
        var definition = await _client.CreateDefinitionAsync();

        var created = await _client.AddIocAsync(definition.Id, new { type = "FileName", value = "mimikatz.exe" });

        Assert.True(created.Enabled);
        Assert.Null(created.ExpiresAt);
        Assert.Null(created.Description);
        Assert.Equal("Equals", created.Action);
    }

    [Theory]
    [InlineData("FileSha256", "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", null, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "Equals")]
    [InlineData("FileMd5", " D41D8CD98F00B204E9800998ECF8427E ", null, "d41d8cd98f00b204e9800998ecf8427e", "Equals")]
    [InlineData("CertificateThumbprint", "A9B8C7D6E5F4A3B2C1D0E9F8A7B6C5D4E3F2A1B0", "Equals", "a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0", "Equals")]
    [InlineData("IpAddress", "2001:0DB8:0000:0000:0000:0000:0000:0001", null, "2001:db8::1", "Equals")]
    [InlineData("IpAddress", "::ffff:192.0.2.1", null, "192.0.2.1", "Equals")]
    [InlineData("IpAddress", "2001:DB8::/32", null, "2001:db8::/32", "InRange")]
    [InlineData("IpAddress", "10.0.0.0/8", "InRange", "10.0.0.0/8", "InRange")]
    [InlineData("DomainName", "Evil.Example.COM.", null, "evil.example.com", "EndsWith")]
    [InlineData("DomainName", "Bücher.example", "Equals", "xn--bcher-kva.example", "Equals")]
    [InlineData("Url", "HTTP://Evil.COM:80/Path?Q=1", null, "http://evil.com/Path?Q=1", "StartsWith")]
    [InlineData("Url", "Evil.COM/payload", "Equals", "evil.com/payload", "Equals")]
    [InlineData("EmailAddress", "Alice@Evil.COM", null, "alice@evil.com", "Equals")]
    [InlineData("FileName", "  Invoice.PDF.exe  ", "EndsWith", "Invoice.PDF.exe", "EndsWith")]
    [InlineData("CommandLine", "(?i)powershell.+-enc", "Regex", "(?i)powershell.+-enc", "Regex")]
    public async Task Values_are_stored_normalised_with_the_type_default_action(
        string type, string value, string? action, string expectedValue, string expectedAction)
    {
        var definition = await _client.CreateDefinitionAsync();

        var created = await _client.AddIocAsync(definition.Id, new { type, value, action });

        Assert.Equal((type, expectedValue, expectedAction), (created.Type, created.Value, created.Action));
        Assert.Equal(expectedValue, (await _client.GetIocAsync(created.Id)).Ioc.Value);
    }

    [Theory]
    [InlineData("FileSha1", "92cfceb39d57d914ed8b14d0e37643de0797ae5", null, "value")]
    [InlineData("FileSha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8550", null, "value")]
    [InlineData("FileMd5", "d41d8cd98f00b204e9800998ecf8427g", null, "value")]
    [InlineData("CertificateThumbprint", "not hex at all", null, "value")]
    [InlineData("IpAddress", "10.0.0.1/8", "InRange", "value")]
    [InlineData("IpAddress", "2001:db8::1/32", null, "value")]
    [InlineData("IpAddress", "10.0.0.0/33", "InRange", "value")]
    [InlineData("IpAddress", "10.0.0.0/8", "Equals", "value")]
    [InlineData("IpAddress", "10.1", null, "value")]
    [InlineData("IpAddress", "256.1.1.1", null, "value")]
    [InlineData("IpAddress", "fe80::1%eth0", null, "value")]
    [InlineData("DomainName", "exa mple.com", null, "value")]
    [InlineData("DomainName", "-bad.example.com", null, "value")]
    [InlineData("DomainName", "http://evil.com/", null, "value")]
    [InlineData("DomainName", "192.0.2.1", null, "value")]
    [InlineData("Url", "/only/a/path", null, "value")]
    [InlineData("EmailAddress", "no-at-sign.example.com", null, "value")]
    [InlineData("FileName", "(unclosed", "Regex", "value")]
    [InlineData("CommandLine", "(a)\\1", "Regex", "value")]
    [InlineData("FileSha1", "92cfceb39d57d914ed8b14d0e37643de0797ae56", "Contains", "action")]
    [InlineData("IpAddress", "10.0.0.1", "StartsWith", "action")]
    [InlineData("DomainName", "evil.com", "InRange", "action")]
    [InlineData("EmailAddress", "a@evil.com", "Contains", "action")]
    [InlineData(null, "92cfceb39d57d914ed8b14d0e37643de0797ae56", null, "type")]
    [InlineData("FileName", null, null, "value")]
    [InlineData("FileName", "   ", null, "value")]
    public async Task Invalid_iocs_are_a_400_naming_the_field_and_nothing_is_stored(
        string? type, string? value, string? action, string field)
    {
        var definition = await _client.CreateDefinitionAsync();

        var response = await _client.PostAsJsonAsync(Routes.DefinitionIocs(definition.Id), new { type, value, action });

        await response.ReadValidationErrorsAsync(field);
        Assert.Equal(0, (await _client.GetDefinitionAsync(definition.Id)).Definition.IocCount);
    }

    [Theory]
    [InlineData("FileName", 2049, "value")]
    [InlineData("CommandLine", 1025, "value")]
    public async Task Values_over_their_length_limit_are_rejected(string type, int length, string field)
    {
        var definition = await _client.CreateDefinitionAsync();
        var action = type == "CommandLine" ? "Regex" : "Equals";

        var response = await _client.PostAsJsonAsync(
            Routes.DefinitionIocs(definition.Id), new { type, value = new string('a', length), action });

        await response.ReadValidationErrorsAsync(field);
    }

    [Fact]
    public async Task A_description_over_1000_characters_is_rejected()
    {
        var definition = await _client.CreateDefinitionAsync();

        var response = await _client.PostAsJsonAsync(
            Routes.DefinitionIocs(definition.Id), new { type = "FileMd5", value = TestData.Md5(), description = new string('d', 1001) });

        await response.ReadValidationErrorsAsync("description");
    }

    [Theory]
    [InlineData("(?<=a)b", "lookbehind")]
    [InlineData("(a)\\1", "backreference")]
    [InlineData("(?>a+)b", "atomic")]
    public async Task A_regex_the_linear_time_matcher_cannot_run_is_rejected_naming_the_construct(string pattern, string construct)
    {
        var definition = await _client.CreateDefinitionAsync();

        var response = await _client.PostAsJsonAsync(
            Routes.DefinitionIocs(definition.Id), new { type = "CommandLine", value = pattern, action = "Regex" });

        var errors = await response.ReadValidationErrorsAsync("value");
        Assert.Contains(construct, errors["value"].Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_type_action_pair_not_allowed_lists_the_allowed_actions()
    {
        var definition = await _client.CreateDefinitionAsync();

        var response = await _client.PostAsJsonAsync(
            Routes.DefinitionIocs(definition.Id), new { type = "IpAddress", value = "10.0.0.1", action = "Regex" });

        var errors = await response.ReadValidationErrorsAsync("action");
        Assert.Contains("Equals, InRange", errors["action"].Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FileSha1", "92cfceb39d57d914ed8b14d0e37643de0797ae56", "92CFCEB39D57D914ED8B14D0E37643DE0797AE56")]
    [InlineData("DomainName", "evil.example.com", "EVIL.example.com.")]
    [InlineData("IpAddress", "192.0.2.7", "::ffff:192.0.2.7")]
    [InlineData("FileName", "svchost.exe", "SVCHOST.EXE")]
    [InlineData("Url", "https://evil.com/a", "HTTPS://EVIL.COM:443/a")]
    public async Task A_second_copy_of_an_ioc_is_a_409_naming_the_existing_one(string type, string value, string sameValue)
    {
        var definition = await _client.CreateDefinitionAsync();
        var existing = await _client.AddIocAsync(definition.Id, new { type, value });

        var response = await _client.PostAsJsonAsync(Routes.DefinitionIocs(definition.Id), new { type, value = sameValue });

        var problem = await response.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(existing.Id, problem.ExistingId);
        Assert.EndsWith(Routes.Ioc(existing.Id), problem.Existing, StringComparison.Ordinal);
        Assert.Contains(existing.Id.ToString(), problem.Detail, StringComparison.Ordinal);
        Assert.Equal(1, (await _client.GetDefinitionAsync(definition.Id)).Definition.IocCount);
    }

    [Fact]
    public async Task Concurrent_adds_of_one_value_store_it_once_and_name_the_winner_to_the_others()
    {
        var definition = await _client.CreateDefinitionAsync();
        var hash = TestData.Sha256();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => _client.PostAsJsonAsync(
            Routes.DefinitionIocs(definition.Id), new { type = "FileSha256", value = i % 2 == 0 ? hash : hash.ToUpperInvariant() })));

        var winner = await Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created).ReadAsync<IocDto>(HttpStatusCode.Created);
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            Assert.Equal(winner.Id, (await loser.ReadProblemAsync(HttpStatusCode.Conflict)).ExistingId);
        }

        Assert.Equal(winner.Id, Assert.Single(await _client.ListIocsAsync(definition.Id)).Id);
    }

    [Fact]
    public async Task The_same_value_is_a_different_ioc_under_another_action_or_definition()
    {
        var definition = await _client.CreateDefinitionAsync();
        var other = await _client.CreateDefinitionAsync();
        await _client.AddIocAsync(definition.Id, new { type = "DomainName", value = "evil.example.com", action = "EndsWith" });

        await _client.AddIocAsync(definition.Id, new { type = "DomainName", value = "evil.example.com", action = "Equals" });
        await _client.AddIocAsync(other.Id, new { type = "DomainName", value = "evil.example.com", action = "EndsWith" });

        Assert.Equal(2, (await _client.GetDefinitionAsync(definition.Id)).Definition.IocCount);
        Assert.Equal(1, (await _client.GetDefinitionAsync(other.Id)).Definition.IocCount);
    }

    [Fact]
    public async Task A_homoglyph_of_a_free_text_value_is_not_a_duplicate()
    {
        var definition = await _client.CreateDefinitionAsync();
        await _client.AddIocAsync(definition.Id, new { type = "ProcessName", value = "svchost.exe" });

        var homoglyph = await _client.AddIocAsync(definition.Id, new { type = "ProcessName", value = "\u017Fvchost.exe" });

        Assert.Equal("\u017Fvchost.exe", homoglyph.Value);
    }

    [Fact]
    public async Task Adding_to_an_unknown_definition_is_a_404()
    {
        var unknown = Guid.NewGuid();
        var countBefore = await _client.CountIocsAsync();

        var response = await _client.PostAsJsonAsync(Routes.DefinitionIocs(unknown), new { type = "FileMd5", value = TestData.Md5() });

        var problem = await response.ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(unknown.ToString(), problem.Detail, StringComparison.Ordinal);
        Assert.Equal(countBefore, await _client.CountIocsAsync());
    }

    [Fact]
    public async Task The_iocs_of_a_definition_are_listed_with_filters_and_paging()
    {
        var definition = await _client.CreateDefinitionAsync();
        var md5 = await _client.AddIocAsync(definition.Id, new { type = "FileMd5", value = TestData.Md5() });
        var disabledMd5 = await _client.AddIocAsync(definition.Id, new { type = "FileMd5", value = TestData.Md5(), enabled = false });
        var range = await _client.AddIocAsync(definition.Id, new { type = "IpAddress", value = "198.51.100.0/24" });
        var address = await _client.AddIocAsync(definition.Id, new { type = "IpAddress", value = "198.51.100.7" });
        await _client.AddIocAsync((await _client.CreateDefinitionAsync()).Id, new { type = "FileMd5", value = TestData.Md5() });
        var route = Routes.DefinitionIocs(definition.Id);

        var all = await _client.GetPageAsync<IocDto>(route);
        var md5s = await _client.GetPageAsync<IocDto>($"{route}?type=filemd5");
        var enabledMd5s = await _client.GetPageAsync<IocDto>($"{route}?type=FileMd5&enabled=true");
        var ranges = await _client.GetPageAsync<IocDto>($"{route}?action=InRange");
        var secondPage = await _client.GetPageAsync<IocDto>($"{route}?pageSize=3&page=2");

        Assert.Equal([md5.Id, disabledMd5.Id, range.Id, address.Id], all.Items.Select(i => i.Id));
        Assert.Equal([md5.Id, disabledMd5.Id], md5s.Items.Select(i => i.Id));
        Assert.Equal(md5.Id, Assert.Single(enabledMd5s.Items).Id);
        Assert.Equal(range.Id, Assert.Single(ranges.Items).Id);
        Assert.Equal(address.Id, Assert.Single(secondPage.Items).Id);
        Assert.Equal(4, secondPage.TotalCount);
    }

    [Theory]
    [InlineData("type=Sha1", "type")]
    [InlineData("type=0", "type")]
    [InlineData("action=Like", "action")]
    [InlineData("enabled=yes", "enabled")]
    [InlineData("pageSize=5000", "pageSize")]
    public async Task Invalid_list_filters_are_a_400_naming_the_parameter(string query, string field)
    {
        var definition = await _client.CreateDefinitionAsync();

        var response = await _client.GetAsync($"{Routes.DefinitionIocs(definition.Id)}?{query}");

        await response.ReadValidationErrorsAsync(field);
    }

    [Fact]
    public async Task Listing_the_iocs_of_an_unknown_definition_is_a_404()
    {
        var response = await _client.GetAsync(Routes.DefinitionIocs(Guid.NewGuid()));

        await response.ReadProblemAsync(HttpStatusCode.NotFound);
    }
}
