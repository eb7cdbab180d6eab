using System.Text.Json;
using System.Text.Json.Serialization;
using ThreatIntel.Core.Iocs;
using ThreatIntel.LoadTests.Ceiling;

// The ceiling the HTTP load test measures the service against: the same routes and request bodies, with only the work
// every HTTP JSON endpoint has to do (Kestrel, routing, reading and deserialising the body, writing a small response).
// No auth, no validation, no matching, no per-request logging. The URL comes from ASPNETCORE_URLS or --urls.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, CeilingJsonContext.Default));

var app = builder.Build();

app.MapPost("/api/v1/events/evaluate", (EvaluateEventsRequest request) =>
    new EvaluateEventsResponse(request.Events?.Count ?? 0, 0, []));

app.MapGet("/api/v1/iocs", (HttpRequest request) =>
{
    // Read the look-up like the service does (a known type, a value), then answer with an empty page.
    var typeText = request.Query["type"].ToString();
    var value = request.Query["value"].ToString();
    if (!Enum.TryParse<IocType>(typeText, ignoreCase: false, out _) || string.IsNullOrWhiteSpace(value))
    {
        return Results.BadRequest();
    }

    return Results.Json(new IocPage([], 1, 50, 0), CeilingJsonContext.Default.IocPage);
});

app.MapGet("/health/ready", () => "Healthy");

await app.RunAsync();

namespace ThreatIntel.LoadTests.Ceiling
{
    /// <summary>The body of <c>POST /api/v1/events/evaluate</c>, shaped like the service's request.</summary>
    /// <param name="Events">The events.</param>
    public sealed record EvaluateEventsRequest(IReadOnlyList<EventRequest?>? Events);

    /// <summary>One event.</summary>
    /// <param name="Id">The client's id of the event.</param>
    /// <param name="DeviceId">The device it came from.</param>
    /// <param name="Timestamp">When it happened.</param>
    /// <param name="Observables">What was observed.</param>
    public sealed record EventRequest(string? Id, string? DeviceId, DateTimeOffset? Timestamp, IReadOnlyList<ObservableRequest?>? Observables);

    /// <summary>One observed value.</summary>
    /// <param name="Type">Its type, by enum name.</param>
    /// <param name="Value">The value.</param>
    public sealed record ObservableRequest(IocType? Type, string? Value);

    /// <summary>The answer: how many events arrived; nothing ever matches.</summary>
    /// <param name="Evaluated">The number of events.</param>
    /// <param name="Matched">Always 0.</param>
    /// <param name="Results">Always empty.</param>
    public sealed record EvaluateEventsResponse(int Evaluated, int Matched, IReadOnlyList<object> Results);

    /// <summary>An empty page, shaped like the service's paged responses.</summary>
    /// <param name="Items">Always empty.</param>
    /// <param name="Page">The 1-based page.</param>
    /// <param name="PageSize">The page size.</param>
    /// <param name="TotalCount">Always 0.</param>
    public sealed record IocPage(IReadOnlyList<object> Items, int Page, int PageSize, int TotalCount);

    /// <summary>Source-generated System.Text.Json metadata: web defaults (camelCase), enums by name.</summary>
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
    [JsonSerializable(typeof(EvaluateEventsRequest))]
    [JsonSerializable(typeof(EvaluateEventsResponse))]
    [JsonSerializable(typeof(IocPage))]
    public sealed partial class CeilingJsonContext : JsonSerializerContext;
}
