namespace ThreatIntel.Core.Feeds;

/// <summary>The formats a feed is pushed and exported in, chosen by <c>Content-Type</c> (or <c>?format=</c> on export).</summary>
public enum FeedFormat
{
    /// <summary><c>application/json</c>: <c>{ "definitions": [ { ..., "iocs": [ ... ] } ] }</c>.</summary>
    Json,

    /// <summary><c>text/csv</c>: <c>definition,type,value,action,severity,description,expiresAt</c>.</summary>
    Csv,

    /// <summary><c>application/stix+json</c>: a STIX 2.1 bundle whose indicators become definitions.</summary>
    Stix,

    /// <summary><c>text/plain</c>: one value per line, the type detected from the value.</summary>
    PlainList,
}
