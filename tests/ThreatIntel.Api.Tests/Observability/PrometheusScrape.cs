using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Observability;

/// <summary>
/// The metric tests read what the exporter writes, not the instruments: OpenTelemetry's provider listens to every meter
/// of a name in the process, so a host running beside them would add to their counts. Hence this collection runs alone,
/// after every parallel one.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics";
}

/// <summary>One scrape of <c>/metrics</c> in Prometheus text format: each sample's name, labels and value.</summary>
internal sealed partial class PrometheusScrape(string text, IReadOnlyList<PrometheusScrape.Sample> samples)
{
    public const string Path = "/metrics";

    public string Text { get; } = text;

    public static async Task<PrometheusScrape> ReadAsync(HttpClient client)
    {
        var response = await client.GetAsync(Path);
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Scrapes until <paramref name="condition"/> holds, for values recorded after the response was sent.</summary>
    public static async Task<PrometheusScrape> ReadUntilAsync(HttpClient client, Func<PrometheusScrape, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var scrape = await ReadAsync(client);
            if (condition(scrape) || DateTime.UtcNow > deadline)
            {
                return scrape;
            }

            await Task.Delay(50);
        }
    }

    public static PrometheusScrape Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"Not a Prometheus sample line: {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(pair => pair.Groups["name"].Value, pair => pair.Groups["value"].Value);
            samples.Add(new Sample(
                match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }

        return new PrometheusScrape(text, samples);
    }

    /// <summary>The sum of the samples named <paramref name="name"/> that carry all <paramref name="labels"/>; 0 when none do.</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) =>
        Matching(name, labels).Sum(sample => sample.Value);

    /// <summary>How much the matching samples grew since <paramref name="before"/>.</summary>
    public double Delta(PrometheusScrape before, string name, params (string Name, string Value)[] labels) =>
        Sum(name, labels) - before.Sum(name, labels);

    private IEnumerable<Sample> Matching(string name, (string Name, string Value)[] labels) =>
        samples.Where(sample => sample.Name == name
            && labels.All(label => sample.Labels.TryGetValue(label.Name, out var value) && value == label.Value));

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
