namespace ThreatIntel.Api.Http;

/// <summary>One page of a list.</summary>
/// <typeparam name="T">The type of the listed items.</typeparam>
public sealed class PagedResponse<T>
{
    /// <summary>The items of this page, in the requested order.</summary>
    public required IReadOnlyList<T> Items { get; init; }

    /// <summary>The 1-based page number.</summary>
    /// <example>1</example>
    public required int Page { get; init; }

    /// <summary>The maximum number of items a page holds.</summary>
    /// <example>50</example>
    public required int PageSize { get; init; }

    /// <summary>The number of items in the whole list, over all pages.</summary>
    /// <example>1</example>
    public required int TotalCount { get; init; }
}
