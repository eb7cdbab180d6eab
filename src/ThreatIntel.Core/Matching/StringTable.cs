using System.Diagnostics.CodeAnalysis;

namespace ThreatIntel.Core.Matching;

/// <summary>
/// Values under string keys, looked up by span so that no substring is allocated, and the distinct key lengths in
/// ascending order, so that the keys that are a prefix, a suffix or start at some position of a text are found with
/// one look-up per length present rather than a scan over every key.
/// </summary>
internal sealed class StringTable<T>
    where T : class
{
    private readonly Dictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> lookup;
    private readonly int[] lengths;

    /// <param name="byKey">The values; its comparer (ordinal or ordinal ignore-case) is the one look-ups use.</param>
    public StringTable(Dictionary<string, T> byKey)
    {
        lookup = byKey.GetAlternateLookup<ReadOnlySpan<char>>();
        lengths = [.. byKey.Keys.Select(key => key.Length).Distinct().Order()];
    }

    public ReadOnlySpan<int> Lengths => lengths;

    public bool TryGetValue(ReadOnlySpan<char> key, [MaybeNullWhen(false)] out T value) =>
        lookup.TryGetValue(key, out value);
}
