using System.ComponentModel.DataAnnotations;
using ThreatIntel.Core;

namespace ThreatIntel.Api.Http;

/// <summary>
/// The <c>RequestLimits</c> configuration section. Limits that guard a database column may be lowered here but not
/// raised past the schema (<see cref="FieldLimits"/>).
/// </summary>
internal sealed class RequestLimitsOptions
{
    public const string SectionName = "RequestLimits";

    /// <summary>Largest body of an ordinary request, in bytes.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest body of a bulk request (a batch, a definition created with its IOCs), in bytes.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxBulkBodyBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Most IOCs in one batch or one created definition.</summary>
    /// <summary>
    /// The largest feed push. A feed is read as a stream and only its parsed rows are kept, so this bounds upload time
    /// and disk rather than memory; the default fits the whole maltrail set (about 1.8 M indicators) as one CSV.
    /// </summary>
    [Range(1024, long.MaxValue)]
    public long MaxFeedBodyBytes { get; set; } = 1024L * 1024 * 1024;

    [Range(1, FieldLimits.IocBatchMaxCount)]
    public int MaxIocsPerBatch { get; set; } = FieldLimits.IocBatchMaxCount;

    /// <summary>Most events in one evaluation request.</summary>
    [Range(1, FieldLimits.EventBatchMaxCount)]
    public int MaxEventsPerBatch { get; set; } = FieldLimits.EventBatchMaxCount;

    /// <summary>Largest <c>pageSize</c> of a list; at least the default page size, so a list without one still works.</summary>
    [Range(FieldLimits.DefaultPageSize, FieldLimits.MaxPageSize)]
    public int MaxPageSize { get; set; } = FieldLimits.MaxPageSize;

    /// <summary>Longest IOC value, in characters.</summary>
    [Range(1, FieldLimits.IocValueMaxLength)]
    public int MaxIocValueLength { get; set; } = FieldLimits.IocValueMaxLength;

    /// <summary>Longest regular expression, in characters.</summary>
    [Range(1, FieldLimits.RegexPatternMaxLength)]
    public int MaxRegexPatternLength { get; set; } = FieldLimits.RegexPatternMaxLength;

    /// <summary>Deepest nesting of a JSON body.</summary>
    [Range(4, 256)]
    public int MaxJsonDepth { get; set; } = 32;
}

/// <summary>Marks an action whose body may be as large as <see cref="RequestLimitsOptions.MaxBulkBodyBytes"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class BulkRequestBodyAttribute : Attribute;

/// <summary>Marks an action that reads a whole feed, which may be as large as <see cref="RequestLimitsOptions.MaxFeedBodyBytes"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class FeedRequestBodyAttribute : Attribute;
