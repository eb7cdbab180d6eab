using System.Text;

namespace ThreatIntel.Core.Matching;

/// <summary>
/// Finds text that every match of a regular expression must contain, so that the pattern is only run on values that
/// contain it. A wrong answer would hide matches, so the reading is deliberately narrow: only the top level of the
/// pattern is read, and only runs of plain characters there count (characters in groups, classes, or under a
/// quantifier may be absent from a match). Anything the reader is unsure of ends the run, or, where it could change
/// what the plain characters mean, gives no literal at all.
/// </summary>
internal static class RequiredLiteral
{
    /// <summary>Escapes of letters that match a class or a position, never a particular character.</summary>
    private const string ClassAndAnchorEscapes = "dDwWsSbBAzZG";

    /// <summary>
    /// The longest run of plain characters at the top level of <paramref name="pattern"/>, or null when it has none
    /// or has a top-level alternation (each branch would need its own literal), a top-level <c>(?i)</c> (the
    /// literal would be case-insensitive) or <c>(?x)</c> anywhere (white space and <c>#</c> would stop being literal).
    /// </summary>
    public static string? Find(string pattern)
    {
        var best = string.Empty;
        var run = new StringBuilder();

        void EndRun(bool lastIsQuantified)
        {
            if (lastIsQuantified && run.Length > 0)
            {
                run.Length--;
            }

            if (run.Length > best.Length)
            {
                best = run.ToString();
            }

            run.Clear();
        }

        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            switch (c)
            {
                case '|' or ')':
                    return null;
                case '(':
                    // A scoped (?i:...) is skipped with its group; a setter (?i) changes every literal after it.
                    if (OptionsAt(pattern, i) is (var letters, var isScoped)
                        && (letters.Contains('x') || (letters.Contains('i') && !isScoped)))
                    {
                        return null;
                    }

                    EndRun(lastIsQuantified: false);
                    i = SkipGroup(pattern, i);
                    break;
                case '[':
                    EndRun(lastIsQuantified: false);
                    i = SkipClass(pattern, i);
                    break;
                case '\\' when i + 1 < pattern.Length && !char.IsAsciiLetterOrDigit(pattern[i + 1]):
                    run.Append(pattern[i + 1]);
                    i += 2;
                    break;
                case '\\' when i + 1 < pattern.Length && ClassAndAnchorEscapes.Contains(pattern[i + 1]):
                    EndRun(lastIsQuantified: false);
                    i += 2;
                    break;
                case '\\':
                    // Character codes, categories, back-references: safe to skip only with a full escape parser.
                    return null;
                case '*' or '+' or '?':
                    EndRun(lastIsQuantified: true);
                    i++;
                    break;
                case '{':
                    var quantifierEnd = QuantifierEnd(pattern, i);
                    EndRun(lastIsQuantified: quantifierEnd > 0);
                    i = quantifierEnd > 0 ? quantifierEnd : i + 1;
                    break;
                case '.' or '^' or '$':
                    EndRun(lastIsQuantified: false);
                    i++;
                    break;
                default:
                    run.Append(c);
                    i++;
                    break;
            }

            if (i < 0)
            {
                return null;
            }
        }

        EndRun(lastIsQuantified: false);
        return best.Length > 0 ? best : null;
    }

    /// <summary>
    /// The text <paramref name="pattern"/> consists of when it is nothing but plain and escaped characters, so that it
    /// matches exactly the values that contain that text and needs no regular-expression engine at all; null otherwise.
    /// Only escapes of punctuation count (<c>\.</c>, <c>\\</c>, <c>\ </c>); any metacharacter, class, group, anchor or
    /// letter escape gives null.
    /// </summary>
    public static string? WholePatternText(string pattern)
    {
        var text = new StringBuilder(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 >= pattern.Length || char.IsAsciiLetterOrDigit(pattern[i + 1]))
                {
                    return null;
                }

                text.Append(pattern[++i]);
            }
            else if (c is '^' or '$' or '.' or '|' or '?' or '*' or '+' or '(' or ')' or '[' or ']' or '{' or '}')
            {
                return null;
            }
            else
            {
                text.Append(c);
            }
        }

        return text.Length > 0 ? text.ToString() : null;
    }

    /// <summary>
    /// The option letters of an inline-options construct at <paramref name="open"/>, and whether they apply to a
    /// group of their own (<c>(?i-s:...)</c>) rather than to the rest of the enclosing one (<c>(?i)</c>); null when
    /// the parenthesis opens something else.
    /// </summary>
    private static (string Letters, bool IsScoped)? OptionsAt(string pattern, int open)
    {
        if (open + 1 >= pattern.Length || pattern[open + 1] != '?')
        {
            return null;
        }

        var end = open + 2;
        while (end < pattern.Length && pattern[end] is 'i' or 'm' or 'n' or 's' or 'x' or '-')
        {
            end++;
        }

        return end > open + 2 && end < pattern.Length && pattern[end] is ')' or ':'
            ? (pattern[(open + 2)..end], pattern[end] == ':')
            : null;
    }

    /// <summary>The index after the group opened at <paramref name="open"/>, or -1 when it cannot be read safely.</summary>
    private static int SkipGroup(string pattern, int open)
    {
        if (pattern.AsSpan(open).StartsWith("(?#", StringComparison.Ordinal))
        {
            var close = pattern.IndexOf(')', open);
            return close < 0 ? -1 : close + 1;
        }

        var depth = 0;
        var i = open;
        while (i < pattern.Length)
        {
            switch (pattern[i])
            {
                case '\\':
                    i += 2;
                    continue;
                case '[':
                    i = SkipClass(pattern, i);
                    if (i < 0)
                    {
                        return -1;
                    }

                    continue;
                case '(':
                    if (OptionsAt(pattern, i) is (var letters, _) && letters.Contains('x'))
                    {
                        // Comments in free-spacing mode may hold unbalanced parentheses.
                        return -1;
                    }

                    depth++;
                    break;
                case ')':
                    depth--;
                    if (depth == 0)
                    {
                        return i + 1;
                    }

                    break;
            }

            i++;
        }

        return -1;
    }

    /// <summary>
    /// The index after the character class opened at <paramref name="open"/> (with .NET's subtraction
    /// <c>[a-z-[aeiou]]</c>), or -1 when it cannot be read safely.
    /// </summary>
    private static int SkipClass(string pattern, int open)
    {
        var i = open + 1;
        if (i < pattern.Length && pattern[i] == '^')
        {
            i++;
        }

        // A ']' straight after the opening is a member, not the end.
        if (i < pattern.Length && pattern[i] == ']')
        {
            i++;
        }

        while (i < pattern.Length)
        {
            switch (pattern[i])
            {
                case '\\':
                    i += 2;
                    continue;
                case '-' when i + 1 < pattern.Length && pattern[i + 1] == '[':
                    i = SkipClass(pattern, i + 1);
                    if (i < 0)
                    {
                        return -1;
                    }

                    continue;
                case '[' when i + 1 < pattern.Length && pattern[i + 1] == ':':
                    return -1;
                case ']':
                    return i + 1;
            }

            i++;
        }

        return -1;
    }

    /// <summary>
    /// The index after a <c>{n}</c>, <c>{n,}</c> or <c>{n,m}</c> quantifier at <paramref name="open"/>, or 0 when the
    /// brace is a plain character. Read loosely (digits, commas and spaces), so that anything the engine might take
    /// for a quantifier is treated as one.
    /// </summary>
    private static int QuantifierEnd(string pattern, int open)
    {
        var i = open + 1;
        while (i < pattern.Length && (char.IsAsciiDigit(pattern[i]) || pattern[i] is ',' or ' '))
        {
            i++;
        }

        return i < pattern.Length && pattern[i] == '}' ? i + 1 : 0;
    }
}
