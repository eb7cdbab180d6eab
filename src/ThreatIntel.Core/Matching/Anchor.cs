namespace ThreatIntel.Core.Matching;

/// <summary>Where a key of an <see cref="AnchoredMatcher"/> must sit in the observed value.</summary>
internal enum Anchor
{
    /// <summary>The key is the whole value (<c>Equals</c>).</summary>
    Whole,

    /// <summary>The key is a prefix of the value (<c>StartsWith</c>).</summary>
    Start,

    /// <summary>The key is a suffix of the value (<c>EndsWith</c>).</summary>
    End,
}
