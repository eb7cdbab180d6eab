using System.Text.Json;
using System.Text.Json.Serialization;

namespace ThreatIntel.Api.Features.Events;

/// <summary>
/// Compile-time JSON metadata for the evaluation contracts, the service's hottest bodies: a 1,000-event batch is read
/// without reflection. The converters configured in <c>ApiSetup</c> (strict enums) still apply.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(EvaluateEventsRequest))]
[JsonSerializable(typeof(EvaluateEventsResponse))]
internal sealed partial class EventsJsonContext : JsonSerializerContext;
