namespace ThreatIntel.Core.Matching;

/// <summary>
/// The IOCs whose value is the whole text, a prefix of it or a suffix of it. For a prefix or a suffix under ordinal
/// comparison, one pass over the text computes a rolling hash of each prefix (suffix) length, and only the lengths whose
/// hash passes a small Bloom filter of the keys' hashes are looked up: hashing every candidate prefix afresh cost time
/// in the square of the text's length, which made a long URL against 74,000 URL prefixes the dearest observable of an
/// event. The filter fits in the CPU cache, where a set of the hashes cost a cache miss per length.
/// </summary>
internal sealed class AnchoredTable
{
    private const ulong Multiplier = 0x9E3779B97F4A7C15;

    /// <summary>Filter bits per key: with two bits set per key, about 1.5 % of the lengths probed pass for nothing.</summary>
    private const int FilterBitsPerKey = 16;

    private readonly StringTable<MatchableIoc[]> table;
    private readonly Anchor anchor;

    /// <summary>Two bits per key's rolling hash; null when the table is not ordinal or matches whole values.</summary>
    private readonly ulong[]? filter;

    /// <summary>log2 of the filter's size in bits.</summary>
    private readonly int filterBits;

    /// <param name="byValue">The IOCs by value, under the comparer the look-ups use.</param>
    /// <param name="anchor">Where a value must sit in the text.</param>
    /// <param name="ordinal">
    /// Whether <paramref name="byValue"/> compares ordinally. The rolling hash reads characters as they are, so a
    /// case-insensitive table looks up every length instead.
    /// </param>
    public AnchoredTable(Dictionary<string, MatchableIoc[]> byValue, Anchor anchor, bool ordinal)
    {
        table = new StringTable<MatchableIoc[]>(byValue);
        this.anchor = anchor;
        if (anchor == Anchor.Whole || !ordinal)
        {
            return;
        }

        filterBits = Math.Clamp((int)Math.Ceiling(Math.Log2((double)byValue.Count * FilterBitsPerKey)), 6, 31);
        filter = new ulong[1 << (filterBits - 6)];
        foreach (var key in byValue.Keys)
        {
            var hash = 0UL;
            for (var length = 1; length <= key.Length; length++)
            {
                hash = Roll(hash, CharAt(key, length));
            }

            var (first, second) = FilterBits(hash);
            filter[first >> 6] |= 1UL << first;
            filter[second >> 6] |= 1UL << second;
        }
    }

    public void Append(ReadOnlySpan<char> text, DateTime now, List<MatchableIoc> results)
    {
        if (anchor == Anchor.Whole)
        {
            if (table.TryGetValue(text, out var equal))
            {
                Postings.AppendLive(equal, now, results);
            }

            return;
        }

        var lengths = table.Lengths;
        if (lengths.IsEmpty)
        {
            return;
        }

        var longest = Math.Min(text.Length, lengths[^1]);
        var hash = 0UL;
        var nextLength = 0;
        for (var length = 1; length <= longest; length++)
        {
            hash = Roll(hash, CharAt(text, length));
            if (length != lengths[nextLength])
            {
                continue;
            }

            nextLength++;
            if (filter is not null && !MayHold(filter, hash))
            {
                continue;
            }

            if (table.TryGetValue(anchor == Anchor.Start ? text[..length] : text[^length..], out var iocs))
            {
                Postings.AppendLive(iocs, now, results);
            }
        }
    }

    /// <summary>The character that extends the part of <paramref name="text"/> from <c>length - 1</c> to <c>length</c>.</summary>
    private char CharAt(ReadOnlySpan<char> text, int length) => anchor == Anchor.Start ? text[length - 1] : text[^length];

    private static ulong Roll(ulong hash, char next) => (hash + next + 1) * Multiplier;

    /// <summary>Two bit positions from the hash's high bits: a multiplicative hash mixes its low bits least.</summary>
    private (int First, int Second) FilterBits(ulong hash) =>
        ((int)(hash >> (64 - filterBits)), (int)((hash >> (64 - 2 * filterBits)) & ((1UL << filterBits) - 1)));

    private bool MayHold(ulong[] bits, ulong hash)
    {
        var (first, second) = FilterBits(hash);
        return (bits[first >> 6] & (1UL << first)) != 0 && (bits[second >> 6] & (1UL << second)) != 0;
    }
}
