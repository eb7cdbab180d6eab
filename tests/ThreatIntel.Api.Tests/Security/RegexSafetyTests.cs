using System.Net;
using System.Net.Http.Json;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Security;

/// <summary>
/// Patterns are saved only when the linear-time (NonBacktracking) engine can run them; constructs it cannot run are
/// refused at save time with a message that names them, wherever the pattern is submitted.
/// </summary>
public sealed class RegexSafetyTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    public static TheoryData<string, string> UnsupportedConstructs => new()
    {
        { @"(a)\1", "backreference" },
        { @"(?<word>a)\k<word>", "backreference" },
        { "powershell(?=.*-enc)", "lookahead" },
        { "(?!x)cmd", "negative lookahead" },
        { "(?<=cmd )/c", "lookbehind" },
        { "(?<!x)cmd", "negative lookbehind" },
        { "(?>a+)b", "atomic" },
        { "(?(a)b|c)", "conditional" },
    };

    [Theory]
    [MemberData(nameof(UnsupportedConstructs))]
    public async Task A_pattern_with_a_construct_the_linear_engine_cannot_run_is_a_400_naming_it(string pattern, string construct)
    {
        var definition = await _client.CreateDefinitionAsync();

        var response = await _client.PostAsJsonAsync(
            Routes.DefinitionIocs(definition.Id), new { type = "CommandLine", action = "Regex", value = pattern });

        var errors = await response.ReadValidationErrorsAsync("value");
        Assert.Contains(construct, Assert.Single(errors["value"]), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await _client.ListIocsAsync(definition.Id));
    }

    [Theory]
    [MemberData(nameof(UnsupportedConstructs))]
    public async Task The_same_patterns_are_refused_in_a_batch_and_in_a_new_definition(string pattern, string construct)
    {
        var definition = await _client.CreateDefinitionAsync();
        var ioc = new { type = "CommandLine", action = "Regex", value = pattern };

        var batch = await _client.PostAsJsonAsync(Routes.Batch(definition.Id), new { iocs = new[] { ioc } });
        var create = await _client.PostAsJsonAsync(Routes.Definitions, new { name = TestData.Name(), iocs = new[] { ioc } });

        var result = Assert.Single((await batch.ReadAsync<BatchDto>(HttpStatusCode.OK)).Results);
        Assert.Equal("rejected", result.Status);
        Assert.Contains(construct, Assert.Single(result.Errors!["value"]), StringComparison.OrdinalIgnoreCase);
        var errors = await create.ReadValidationErrorsAsync("iocs[0].value");
        Assert.Contains(construct, Assert.Single(errors["iocs[0].value"]), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("^(a+)+$")]
    [InlineData(@"(?i)powershell(\.exe)?\s+-enc(odedcommand)?\s+[a-z0-9+/=]{20,}")]
    public async Task Patterns_the_linear_engine_runs_are_stored_even_when_they_would_backtrack_elsewhere(string pattern)
    {
        var definition = await _client.CreateDefinitionAsync();

        var ioc = await _client.AddIocAsync(definition.Id, new { type = "CommandLine", action = "Regex", value = pattern });

        Assert.Equal(pattern, ioc.Value);
    }
}
