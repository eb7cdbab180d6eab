using System.Diagnostics.CodeAnalysis;

namespace ThreatIntel.Core.Iocs.Normalization;

/// <summary>Either the normalised form of a value or the reason it was rejected.</summary>
public readonly record struct NormalizationResult
{
    private NormalizationResult(string? value, string? error)
    {
        Value = value;
        Error = error;
    }

    public string? Value { get; }

    public string? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Error is null;

    public static NormalizationResult Valid(string value) => new(value, null);

    public static NormalizationResult Invalid(string error) => new(null, error);
}
