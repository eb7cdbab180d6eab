using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Feeds;

// The wire shapes of the feed routes as a client reads them.

/// <summary>The 200 answer of a push: what it changed (or would change) and the rows it skipped.</summary>
internal sealed record FeedPushDto(
    string Feed,
    bool DryRun,
    bool Applied,
    int DefinitionsCreated,
    int DefinitionsUpdated,
    int DefinitionsRemoved,
    int DefinitionsUnchanged,
    int IocsCreated,
    int IocsUpdated,
    int IocsUnchanged,
    int IocsRemoved,
    int RejectedCount,
    FeedRowErrorDto[] Rejected)
{
    /// <summary>Every write the push made (or would make), summed.</summary>
    public int Changes => DefinitionsCreated + DefinitionsUpdated + DefinitionsRemoved + IocsCreated + IocsUpdated + IocsRemoved;
}

internal sealed record FeedRowErrorDto(string Location, int? Line, int? Index, string? Value, string Reason);

/// <summary>The 422 problem of a push refused for its invalid rows.</summary>
internal sealed record FeedRejectedDto(
    string? Title,
    int? Status,
    string? Detail,
    string? Feed,
    int RejectedCount,
    FeedRowErrorDto[] Rejected,
    Dictionary<string, string[]> Errors);

internal sealed record FeedDto(
    string Name,
    int DefinitionCount,
    int IocCount,
    DateTime CreatedAt,
    string? CreatedBy,
    DateTime? LastPushAt,
    string? LastPushBy,
    JsonElement? LastPush);

/// <summary>One definition of a feed with its IOCs, as the definition and IOC routes show them.</summary>
internal sealed record StoredFeedDefinition(DefinitionDto Definition, IocDto[] Iocs);

internal static class FeedRoutes
{
    public const string Feeds = "/api/v1/feeds";

    public static string Feed(string feed) => $"{Feeds}/{Uri.EscapeDataString(feed)}";

    public static string Export(string feed, string? format) =>
        $"{Feed(feed)}/export" + (format is null ? string.Empty : $"?format={Uri.EscapeDataString(format)}");
}

internal static class FeedMedia
{
    public const string Csv = "text/csv";
    public const string Json = "application/json";
    public const string Stix = "application/stix+json";
    public const string PlainList = "text/plain";
}

/// <summary>
/// The real feeds kept by the core tests (<c>tests/ThreatIntel.Core.Tests/Feeds/Fixtures</c>), found from the test
/// assembly by walking up to the folder holding <c>ThreatIntel.sln</c>.
/// </summary>
internal static class FeedTestFixtures
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ThreatIntel.sln")))
            {
                return Path.Combine(directory.FullName, "tests", "ThreatIntel.Core.Tests", "Feeds", "Fixtures");
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds ThreatIntel.sln.");
    });

    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Folder.Value, name));

    public static string[] Lines(string name) => File.ReadAllLines(Path.Combine(Folder.Value, name));
}

internal static class FeedTestClient
{
    /// <summary>How many rejected rows a push lists; the rest are only counted.</summary>
    public const int MaxListedRejections = 1000;

    public static Task<HttpResponseMessage> PushFeedAsync(
        this HttpClient client, HttpMethod method, string feed, string contentType, string body, string query = "", string? ifMatch = null) =>
        client.PushFeedAsync(method, feed, contentType, Encoding.UTF8.GetBytes(body), query, ifMatch);

    public static Task<HttpResponseMessage> PushFeedAsync(
        this HttpClient client, HttpMethod method, string feed, string? contentType, byte[] body, string query = "", string? ifMatch = null)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        var request = new HttpRequestMessage(method, FeedRoutes.Feed(feed) + query) { Content = content };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request);
    }

    /// <summary>A sync (PUT) that must succeed.</summary>
    public static async Task<FeedPushDto> SyncFeedAsync(this HttpClient client, string feed, string contentType, string body, string query = "") =>
        await (await client.PushFeedAsync(HttpMethod.Put, feed, contentType, body, query)).ReadAsync<FeedPushDto>(HttpStatusCode.OK);

    public static async Task<FeedPushDto> SyncFeedAsync(this HttpClient client, string feed, string contentType, byte[] body, string query = "") =>
        await (await client.PushFeedAsync(HttpMethod.Put, feed, contentType, body, query)).ReadAsync<FeedPushDto>(HttpStatusCode.OK);

    /// <summary>A merge (POST) that must succeed.</summary>
    public static async Task<FeedPushDto> MergeFeedAsync(this HttpClient client, string feed, string contentType, string body, string query = "") =>
        await (await client.PushFeedAsync(HttpMethod.Post, feed, contentType, body, query)).ReadAsync<FeedPushDto>(HttpStatusCode.OK);

    /// <summary>Asserts the 422 problem of a refused push, consistent in its counts and error map, and reads it.</summary>
    public static async Task<FeedRejectedDto> ReadRejectedAsync(this HttpResponseMessage response)
    {
        var problem = await response.ReadAsync<FeedRejectedDto>(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(422, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Title), "The problem has no title.");
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail), "The problem has no detail.");
        Assert.Equal(Math.Min(problem.RejectedCount, MaxListedRejections), problem.Rejected.Length);
        Assert.All(problem.Rejected, row => Assert.False(string.IsNullOrWhiteSpace(row.Reason), $"{row.Location} has no reason."));
        Assert.Equal(
            problem.Rejected.Select(row => row.Location).Distinct().Order(StringComparer.Ordinal),
            problem.Errors.Keys.Order(StringComparer.Ordinal));
        return problem;
    }

    /// <summary>
    /// Asserts a 400 whose <c>errors</c> name exactly <paramref name="fields"/>, each with a message, without
    /// requiring a <c>detail</c> (which the feed routes' own 400s lack; see <c>FeedValidationTests</c>).
    /// </summary>
    public static async Task<Dictionary<string, string[]>> ReadFieldErrorsAsync(
        this HttpResponseMessage response, bool problemMediaType, params string[] fields)
    {
        var problem = await response.ReadAsync<ProblemDto>(HttpStatusCode.BadRequest);
        if (problemMediaType)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(400, problem.Status);
        Assert.NotNull(problem.Errors);
        Assert.Equal(fields.Order(StringComparer.Ordinal), problem.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.All(problem.Errors.Values, messages => Assert.All(messages, m => Assert.False(string.IsNullOrWhiteSpace(m))));
        return problem.Errors;
    }

    public static Task<HttpResponseMessage> GetFeedAsync(this HttpClient client, string feed) => client.GetAsync(FeedRoutes.Feed(feed));

    public static async Task<FeedDto> ReadFeedAsync(this HttpClient client, string feed) =>
        await (await client.GetFeedAsync(feed)).ReadAsync<FeedDto>(HttpStatusCode.OK);

    /// <summary>The feed's definitions by name, each with its IOCs by type, action and value.</summary>
    public static async Task<StoredFeedDefinition[]> ReadFeedContentAsync(this HttpClient client, string feed)
    {
        var definitions = await client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?source={Uri.EscapeDataString(feed)}&pageSize=1000");
        Assert.True(definitions.TotalCount <= 1000, "The feed is too large for one page.");
        var content = new List<StoredFeedDefinition>();
        foreach (var definition in definitions.Items.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            Assert.Equal(feed, definition.Source);
            var iocs = await client.ListIocsAsync(definition.Id);
            Assert.Equal(definition.IocCount, iocs.Length);
            content.Add(new StoredFeedDefinition(
                definition,
                [.. iocs.OrderBy(i => i.Type, StringComparer.Ordinal).ThenBy(i => i.Action, StringComparer.Ordinal).ThenBy(i => i.Value, StringComparer.Ordinal)]));
        }

        return [.. content];
    }

    /// <summary>What a feed holds: one <c>definition | type | action | value</c> line per IOC, sorted.</summary>
    public static string[] IocRows(this IEnumerable<StoredFeedDefinition> content) =>
        [.. content.SelectMany(d => d.Iocs.Select(i => $"{d.Definition.Name} | {i.Type} | {i.Action} | {i.Value}")).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Everything a client can see of the feed's content, ids and timestamps included, so that two equal
    /// fingerprints mean nothing was written in between.
    /// </summary>
    public static string[] Fingerprint(this IEnumerable<StoredFeedDefinition> content) =>
    [
        .. content.Select(d => string.Join(
            " | ",
            "definition",
            d.Definition.Id,
            d.Definition.Name,
            d.Definition.Severity,
            d.Definition.Description,
            d.Definition.Category,
            string.Join(',', d.Definition.MitreTechniques),
            d.Definition.RecommendedActions,
            string.Join(',', d.Definition.Tags),
            d.Definition.Enabled,
            d.Definition.Source,
            Stamp(d.Definition.CreatedAt),
            d.Definition.CreatedBy,
            Stamp(d.Definition.UpdatedAt),
            d.Definition.UpdatedBy,
            d.Definition.IocCount)),
        .. content.SelectMany(d => d.Iocs).Select(i => string.Join(
            " | ",
            "ioc",
            i.Id,
            i.AlertDefinitionId,
            i.Type,
            i.Action,
            i.Value,
            i.Description,
            i.Enabled,
            i.ExpiresAt is { } expiresAt ? Stamp(expiresAt) : "never",
            i.Source,
            Stamp(i.CreatedAt),
            i.CreatedBy,
            Stamp(i.UpdatedAt),
            i.UpdatedBy)),
    ];

    /// <summary>The content the given pushed rows describe, in the form of <see cref="IocRows"/>.</summary>
    public static string[] ExpectedRows(params (string Definition, string Type, string Action, string Value)[] rows) =>
        [.. rows.Select(r => $"{r.Definition} | {r.Type} | {r.Action} | {r.Value}").Order(StringComparer.Ordinal)];

    /// <summary>A native JSON feed body.</summary>
    public static string JsonFeed(params object[] definitions) => JsonSerializer.Serialize(new { definitions });

    /// <summary>How many audit entries exist, optionally of one entity type.</summary>
    public static async Task<int> CountAuditAsync(this HttpClient admin, string? entityType = null) =>
        (await admin.GetPageAsync<JsonElement>(
            $"{Routes.Audit}?pageSize=1" + (entityType is null ? string.Empty : $"&entityType={entityType}"))).TotalCount;

    /// <summary>The audit entries of feeds (their <c>changes</c> are the push's counts, not before/after pairs).</summary>
    public static async Task<JsonElement[]> FeedAuditAsync(this HttpClient admin, string query = "") =>
        (await admin.GetPageAsync<JsonElement>($"{Routes.Audit}?entityType=Feed&pageSize=1000&{query}")).Items;

    private static string Stamp(DateTime time) => time.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
