using System.Buffers;

namespace ThreatIntel.Core.Matching;

/// <summary>
/// Finds every key that occurs anywhere in a text. <see cref="SearchValues{T}"/> (a vectorised multi-string search)
/// finds each position where some key starts; the keys starting there are then looked up by length, so every
/// matching key is reported, including keys that overlap or are prefixes of one another.
/// </summary>
internal sealed class SubstringSearch<T>
    where T : class
{
    private readonly SearchValues<string> anyKey;
    private readonly StringTable<T> table;

    /// <param name="byKey">The values, under a comparer that compares as <paramref name="comparison"/> does.</param>
    /// <param name="comparison"><see cref="StringComparison.Ordinal"/> or <see cref="StringComparison.OrdinalIgnoreCase"/>.</param>
    public SubstringSearch(Dictionary<string, T> byKey, StringComparison comparison)
    {
        anyKey = SearchValues.Create([.. byKey.Keys], comparison);
        table = new StringTable<T>(byKey);
    }

    /// <summary>
    /// The value of every key found in <paramref name="text"/>, each once however often its key occurs; null when
    /// there is none, which is what most texts give, so that they cost no allocation.
    /// </summary>
    public HashSet<T>? FindAll(ReadOnlySpan<char> text)
    {
        HashSet<T>? found = null;
        var offset = 0;
        while (offset < text.Length)
        {
            var index = text[offset..].IndexOfAny(anyKey);
            if (index < 0)
            {
                break;
            }

            var rest = text[(offset + index)..];
            foreach (var length in table.Lengths)
            {
                if (length > rest.Length)
                {
                    break;
                }

                if (table.TryGetValue(rest[..length], out var value))
                {
                    (found ??= new HashSet<T>(ReferenceEqualityComparer.Instance)).Add(value);
                }
            }

            offset += index + 1;
        }

        return found;
    }
}
