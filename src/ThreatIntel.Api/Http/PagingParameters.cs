using Microsoft.AspNetCore.Mvc;
using ThreatIntel.Core;
using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Api.Http;

/// <summary>Paging of a list endpoint.</summary>
public abstract class PagingParameters
{
    /// <summary>The 1-based page to return.</summary>
    /// <example>1</example>
    [FromQuery(Name = "page")]
    public int Page { get; init; } = 1;

    /// <summary>Items per page, 1 to 1000.</summary>
    /// <example>50</example>
    [FromQuery(Name = "pageSize")]
    public int PageSize { get; init; } = FieldLimits.DefaultPageSize;

    internal PageRequest ToPageRequest() => new(Page, PageSize);
}
