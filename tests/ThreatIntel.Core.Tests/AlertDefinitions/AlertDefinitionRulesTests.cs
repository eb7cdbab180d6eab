using ThreatIntel.Core.AlertDefinitions;

namespace ThreatIntel.Core.Tests.AlertDefinitions;

public class AlertDefinitionRulesTests
{
    [Fact]
    public void Valid_metadata_breaks_no_rule()
    {
        Assert.Empty(AlertDefinitionRules.Check(Valid()));
    }

    [Fact]
    public void Metadata_with_only_a_name_and_a_severity_breaks_no_rule()
    {
        var metadata = new AlertDefinitionMetadata("Emotet", null, Severity.Medium, null, [], null, [], false);

        Assert.Empty(AlertDefinitionRules.Check(metadata));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t \n")]
    public void A_name_is_required(string name)
    {
        var problem = Assert.Single(AlertDefinitionRules.Check(Valid() with { Name = name }));

        Assert.Equal(("name", "A name is required."), problem);
    }

    [Fact]
    public void A_null_name_is_reported_as_missing()
    {
        var problem = Assert.Single(AlertDefinitionRules.Check(Valid() with { Name = null! }));

        Assert.Equal("name", problem.Field);
    }

    [Fact]
    public void A_name_of_200_characters_is_allowed()
    {
        Assert.Empty(AlertDefinitionRules.Check(Valid() with { Name = new string('n', 200) }));
    }

    [Fact]
    public void A_name_of_201_characters_is_too_long()
    {
        var problem = Assert.Single(AlertDefinitionRules.Check(Valid() with { Name = new string('n', 201) }));

        Assert.Equal("name", problem.Field);
        Assert.Contains("200", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_name_length_is_measured_without_surrounding_whitespace()
    {
        Assert.Empty(AlertDefinitionRules.Check(Valid() with { Name = "  " + new string('n', 200) + "  " }));
    }

    [Fact]
    public void A_description_of_4000_characters_is_allowed_and_4001_is_too_long()
    {
        Assert.Empty(AlertDefinitionRules.Check(Valid() with { Description = new string('d', 4000) }));

        var problem = Assert.Single(AlertDefinitionRules.Check(Valid() with { Description = new string('d', 4001) }));
        Assert.Equal("description", problem.Field);
        Assert.Contains("4000", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Severity.Informational)]
    [InlineData(Severity.Low)]
    [InlineData(Severity.Medium)]
    [InlineData(Severity.High)]
    [InlineData(Severity.Critical)]
    public void Every_defined_severity_is_allowed(Severity severity)
    {
        Assert.Empty(AlertDefinitionRules.Check(Valid() with { Severity = severity }));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(5)]
    [InlineData(100)]
    public void An_undefined_severity_is_rejected(int value)
    {
        var problem = Assert.Single(AlertDefinitionRules.Check(Valid() with { Severity = (Severity)value }));

        Assert.Equal("severity", problem.Field);
        Assert.Contains(value.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_category_of_100_characters_is_allowed_and_101_is_too_long()
    {
        Assert.Empty(AlertDefinitionRules.Check(Valid() with { Category = new string('c', 100) }));

        var problem = Assert.Single(AlertDefinitionRules.Check(Valid() with { Category = new string('c', 101) }));
        Assert.Equal("category", problem.Field);
        Assert.Contains("100", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recommended_actions_of_4000_characters_are_allowed_and_4001_are_too_long()
    {
        Assert.Empty(AlertDefinitionRules.Check(Valid() with { RecommendedActions = new string('r', 4000) }));

        var problem = Assert.Single(AlertDefinitionRules.Check(Valid() with { RecommendedActions = new string('r', 4001) }));
        Assert.Equal("recommendedActions", problem.Field);
        Assert.Contains("4000", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("T1059")]
    [InlineData("T1059.001")]
    [InlineData("t1059")]
    [InlineData("t1566.002")]
    [InlineData("T0001")]
    public void A_mitre_technique_or_sub_technique_id_is_allowed(string technique)
    {
        Assert.Empty(AlertDefinitionRules.Check(Valid() with { MitreTechniques = [technique] }));
    }

    [Theory]
    [InlineData("T105")]
    [InlineData("X1059")]
    [InlineData("T10590")]
    [InlineData("1059")]
    [InlineData("T")]
    [InlineData("T1059.")]
    [InlineData("T1059.01")]
    [InlineData("T1059.0001")]
    [InlineData("T1059/001")]
    [InlineData("TA0001")]
    [InlineData("")]
    public void A_malformed_mitre_id_is_rejected_naming_it(string technique)
    {
        var problem = Assert.Single(AlertDefinitionRules.Check(Valid() with { MitreTechniques = ["T1059", technique] }));

        Assert.Equal("mitreTechniques", problem.Field);
        Assert.Contains($"'{technique}'", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("T\u0661\u0660\u0665\u0669")]
    [InlineData("T\uFF11\uFF10\uFF15\uFF19")]
    [InlineData("T1059.\u0660\u0660\u0661")]
    public void A_mitre_id_with_non_ascii_digits_is_rejected(string technique)
    {
        var problem = Assert.Single(AlertDefinitionRules.Check(Valid() with { MitreTechniques = [technique] }));

        Assert.Equal("mitreTechniques", problem.Field);
    }

    [Fact]
    public void Each_malformed_mitre_id_is_reported_separately()
    {
        var problems = AlertDefinitionRules.Check(Valid() with { MitreTechniques = ["X1", "T1059", "T2"] }).ToList();

        Assert.Equal(2, problems.Count);
        Assert.All(problems, problem => Assert.Equal("mitreTechniques", problem.Field));
        Assert.Contains("'X1'", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("'T2'", problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fifty_mitre_ids_are_allowed_and_fifty_one_are_too_many()
    {
        var fifty = Enumerable.Range(1000, 50).Select(n => $"T{n}").ToList();
        Assert.Empty(AlertDefinitionRules.Check(Valid() with { MitreTechniques = fifty }));

        var problem = Assert.Single(AlertDefinitionRules.Check(Valid() with { MitreTechniques = [.. fifty, "T2000"] }));
        Assert.Equal("mitreTechniques", problem.Field);
        Assert.Contains("50", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fifty_tags_are_allowed_and_fifty_one_are_too_many()
    {
        var fifty = Enumerable.Range(0, 50).Select(n => $"tag{n}").ToList();
        Assert.Empty(AlertDefinitionRules.Check(Valid() with { Tags = fifty }));

        var problem = Assert.Single(AlertDefinitionRules.Check(Valid() with { Tags = [.. fifty, "one-more"] }));
        Assert.Equal("tags", problem.Field);
        Assert.Contains("50", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tag_of_64_characters_is_allowed_and_65_is_too_long()
    {
        Assert.Empty(AlertDefinitionRules.Check(Valid() with { Tags = [new string('t', 64)] }));

        var problem = Assert.Single(AlertDefinitionRules.Check(Valid() with { Tags = ["ok", new string('t', 65)] }));
        Assert.Equal("tags", problem.Field);
        Assert.Contains("64", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t")]
    public void A_blank_tag_is_rejected(string tag)
    {
        var problem = Assert.Single(AlertDefinitionRules.Check(Valid() with { Tags = ["emotet", tag] }));

        Assert.Equal("tags", problem.Field);
    }

    [Fact]
    public void Every_broken_rule_is_reported_at_once()
    {
        var metadata = new AlertDefinitionMetadata(
            new string('n', 201),
            new string('d', 4001),
            (Severity)9,
            new string('c', 101),
            ["bad"],
            new string('r', 4001),
            [""],
            true);

        var fields = AlertDefinitionRules.Check(metadata).Select(problem => problem.Field);

        Assert.Equal(
            ["name", "description", "severity", "category", "recommendedActions", "mitreTechniques", "tags"],
            fields);
    }

    private static AlertDefinitionMetadata Valid() => new(
        "Emotet",
        "Banking trojan turned loader.",
        Severity.High,
        "Malware",
        ["T1059.001", "T1566"],
        "Isolate the host and reset credentials.",
        ["emotet", "loader"],
        true);
}
