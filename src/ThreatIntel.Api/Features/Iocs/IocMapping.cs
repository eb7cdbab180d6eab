using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Iocs.Normalization;

namespace ThreatIntel.Api.Features.Iocs;

internal static class IocMapping
{
    /// <summary>The action a request means: the one it names, or the type's default for its value.</summary>
    public static IocAction EffectiveAction(this IocRequest request) =>
        request.Action ?? IocTypeRules.DefaultAction(request.Type!.Value, request.Value?.Trim());

    /// <summary>Maps a request that passed <see cref="IocRequestValidator"/> to the domain's specification.</summary>
    public static IocSpecification ToSpecification(this IocRequest request)
    {
        var type = request.Type!.Value;
        var action = request.EffectiveAction();
        var normalized = IocValueNormalizer.Normalize(type, action, request.Value);
        if (!normalized.IsValid)
        {
            throw new InvalidOperationException($"An IOC request reached mapping without passing validation: {normalized.Error}");
        }

        return new IocSpecification(
            type,
            action,
            normalized.Value,
            string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(),
            request.Enabled ?? true,
            request.ExpiresAt?.UtcDateTime);
    }

    public static IocResponse ToResponse(this Ioc ioc) => new()
    {
        Id = ioc.Id,
        AlertDefinitionId = ioc.AlertDefinitionId,
        Type = ioc.Type,
        Value = ioc.Value,
        Action = ioc.Action,
        Description = ioc.Description,
        Enabled = ioc.Enabled,
        ExpiresAt = ioc.ExpiresAt,
        Source = ioc.Source,
        CreatedAt = ioc.CreatedAt,
        UpdatedAt = ioc.UpdatedAt,
        CreatedBy = ioc.CreatedBy,
        UpdatedBy = ioc.UpdatedBy,
    };

    /// <summary>
    /// Every reading of a looked-up value: under each action the type allows (or the one asked for), the key of the
    /// value normalised for that action. Empty when the value is valid under none of them.
    /// </summary>
    public static IReadOnlyList<IocLookupKey> LookupKeys(IocType type, IocAction? action, string value) =>
        LookupActions(type, action)
        .Select(candidate => (Action: candidate, Result: IocValueNormalizer.NormalizeForLookup(type, candidate, value)))
        .Where(reading => reading.Result.IsValid)
        .Select(reading => new IocLookupKey(reading.Action, IocValueKey.Compute(type, reading.Action, reading.Result.Value!)))
        .ToList();

    /// <summary>
    /// Whether <see cref="LookupKeys"/> would find at least one reading; for validation, which needs no keys (each is
    /// a hash of the normalised value).
    /// </summary>
    public static bool HasLookupReading(IocType type, IocAction? action, string value) =>
        LookupActions(type, action).Any(candidate => IocValueNormalizer.NormalizeForLookup(type, candidate, value).IsValid);

    private static IEnumerable<IocAction> LookupActions(IocType type, IocAction? action) =>
        action is { } only ? [only] : IocTypeRules.AllowedActions(type);
}
