using FluentValidation;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Api.Features.Iocs;

/// <summary>Splits a batch into the items to store and the rejected ones, and merges both into the response.</summary>
internal static class IocBatch
{
    public const string Created = "created";
    public const string Duplicate = "duplicate";
    public const string Rejected = "rejected";

    public sealed record Validation(IReadOnlyList<IocBatchEntry> Valid, IReadOnlyList<IocBatchItemResult> Rejected);

    public static Validation Validate(IReadOnlyList<IocRequest?> items, IValidator<IocRequest> validator)
    {
        var valid = new List<IocBatchEntry>(items.Count);
        var rejected = new List<IocBatchItemResult>();
        for (var index = 0; index < items.Count; index++)
        {
            var item = items[index];
            if (items is IocBatchItems read && read.Unreadable.TryGetValue(index, out var unreadable))
            {
                rejected.Add(RejectedItem(index, new Dictionary<string, string[]> { [unreadable.Field] = [unreadable.Message] }));
                continue;
            }

            if (item is null)
            {
                rejected.Add(RejectedItem(index, new Dictionary<string, string[]> { ["body"] = ["The item is null."] }));
                continue;
            }

            var result = validator.Validate(item);
            if (result.IsValid)
            {
                valid.Add(new IocBatchEntry(index, item.ToSpecification()));
            }
            else
            {
                rejected.Add(RejectedItem(index, result.ToDictionary()));
            }
        }

        return new Validation(valid, rejected);
    }

    public static IocBatchResponse ToResponse(IReadOnlyList<IocBatchItemResult> rejected, IReadOnlyList<IocBatchOutcome> stored)
    {
        var results = stored
            .Select(outcome => new IocBatchItemResult
            {
                Index = outcome.Index,
                Status = outcome.Created ? Created : Duplicate,
                Id = outcome.IocId,
            })
            .Concat(rejected)
            .OrderBy(result => result.Index)
            .ToList();
        return new IocBatchResponse
        {
            Created = stored.Count(outcome => outcome.Created),
            Duplicates = stored.Count(outcome => !outcome.Created),
            Rejected = rejected.Count,
            Results = results,
        };
    }

    private static IocBatchItemResult RejectedItem(int index, IDictionary<string, string[]> errors) =>
        new() { Index = index, Status = Rejected, Errors = errors };
}
