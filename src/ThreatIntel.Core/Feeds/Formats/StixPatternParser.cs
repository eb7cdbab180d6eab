using System.Text;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Iocs.Normalization;

namespace ThreatIntel.Core.Feeds.Formats;

/// <summary>One comparison of a STIX pattern that stands for one IOC.</summary>
/// <param name="Value">The string literal, unescaped but not yet normalised.</param>
/// <param name="ObjectPath">The object path as written in the pattern.</param>
public sealed record StixComparison(IocType Type, IocAction Action, string Value, string ObjectPath);

/// <summary>
/// What <see cref="StixPatternParser"/> made of a pattern: the comparisons, each one IOC, or why the pattern as a whole
/// cannot be represented (<see cref="Problem"/>).
/// </summary>
public sealed class StixPattern
{
    private StixPattern(IReadOnlyList<StixComparison> comparisons, string? problem)
    {
        Comparisons = comparisons;
        Problem = problem;
    }

    public IReadOnlyList<StixComparison> Comparisons { get; }

    /// <summary>Null when the pattern is supported; otherwise every unsupported construct named, or the syntax error.</summary>
    public string? Problem { get; }

    public bool IsSupported => Problem is null;

    internal static StixPattern Supported(IReadOnlyList<StixComparison> comparisons) => new(comparisons, null);

    internal static StixPattern Unsupported(string problem) => new([], problem);
}

/// <summary>
/// Parses a STIX 2.1 pattern into IOCs, with a small tokenizer and a recursive-descent parser over the patterning
/// grammar. Supported: observation expressions <c>[ ... ]</c> (and parentheses) joined by <c>OR</c>, each holding
/// comparisons (and parentheses) joined by <c>OR</c>; a comparison is <c>object-path = 'literal'</c> (<c>==</c> too),
/// <c>object-path MATCHES 'regex'</c> (a Regex IOC, whose pattern must compile for the matching engine), or
/// <c>ipv4-addr:value ISSUBSET 'cidr'</c> / <c>ipv6-addr:value ISSUBSET 'cidr'</c> (InRange).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>=</c> is exact equality, so it becomes <c>Equals</c> for every type, also for <c>domain-name:value</c>
/// (sub-domains are not matched, unlike the CSV default of EndsWith); on <c>ipv4-addr:value</c>/<c>ipv6-addr:value</c>
/// with a CIDR value it becomes <c>InRange</c>.</item>
/// <item>Everything else makes the whole pattern unrepresentable, and <see cref="StixPattern.Problem"/> names each
/// construct: <c>AND</c>, <c>FOLLOWEDBY</c>, <c>NOT</c>, <c>EXISTS</c>, the operators <c>!=</c>, <c>&lt;&gt;</c>,
/// <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>, <c>IN</c>, <c>LIKE</c>, <c>ISSUPERSET</c> (and
/// <c>ISSUBSET</c> off IP addresses), the qualifiers <c>WITHIN</c>, <c>REPEATS</c>, <c>START</c>/<c>STOP</c>, literals
/// other than quoted strings, object paths no IOC type stands for (see <see cref="StixObjectPaths"/>), and a
/// <c>MATCHES</c> pattern that does not compile or is on a type that takes no Regex.</item>
/// <item>String literals take the escapes <c>\'</c> and <c>\\</c>; a backslash before any other character is kept as
/// it is (producers often write regular expressions such as <c>'\.exe$'</c> with one backslash).</item>
/// <item>A comparison <c>x-threatintel-empty:value = '...'</c> stands for no IOC: the exporter writes
/// <see cref="StixObjectPaths.NoIocPattern"/> for a definition whose IOCs all travel in <c>x_threatintel_iocs</c>.</item>
/// <item>Keywords are recognised in any case. Invalid IOC values (a malformed hash, say) are not the parser's concern:
/// they become row errors of their own when the IOC is built.</item>
/// </list>
/// </remarks>
public static class StixPatternParser
{
    private const int MaxNesting = 64;

    public static StixPattern Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return StixPattern.Unsupported("The pattern is empty.");
        }

        try
        {
            var parser = new Parser(Tokenizer.Tokenize(pattern));
            parser.ParsePattern();
            return parser.Issues.Count > 0
                ? StixPattern.Unsupported($"The pattern cannot be represented as IOCs: it uses {string.Join("; ", parser.Issues)}.")
                : StixPattern.Supported(parser.Comparisons);
        }
        catch (PatternSyntaxException exception)
        {
            return StixPattern.Unsupported($"The pattern is not valid STIX: {exception.Message}");
        }
    }

    /// <summary>Escapes a value as a STIX string literal, quotes included: <c>'</c> and <c>\</c> get a backslash.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
    }

    private enum TokenKind
    {
        LeftBracket,
        RightBracket,
        LeftParen,
        RightParen,
        Comma,

        /// <summary><c>=</c>, <c>==</c>, <c>!=</c>, <c>&lt;&gt;</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>.</summary>
        Operator,

        /// <summary>A keyword, upper-cased: AND, OR, NOT, MATCHES, WITHIN, ...</summary>
        Keyword,
        ObjectPath,
        String,

        /// <summary>Any literal other than a string: a number, boolean, timestamp, hex or binary.</summary>
        OtherLiteral,
        End,
    }

    private sealed record Token(TokenKind Kind, string Text, int Position)
    {
        /// <summary>For a string literal, its unescaped value; for an object path, its type.</summary>
        public string Value { get; init; } = Text;

        /// <summary>For an object path, its steps after the colon (unquoted); for other literals, the kind's name.</summary>
        public IReadOnlyList<string> Steps { get; init; } = [];

        public bool Is(string keyword) => Kind == TokenKind.Keyword && Text == keyword;

        public string Describe() => Kind == TokenKind.End ? "the end of the pattern" : $"'{Text}' at position {Position + 1}";
    }

    private sealed class PatternSyntaxException(string message) : Exception(message);

    private static class Tokenizer
    {
        private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
        {
            "AND", "OR", "NOT", "FOLLOWEDBY", "LIKE", "MATCHES", "ISSUPERSET", "ISSUBSET", "EXISTS", "IN",
            "WITHIN", "SECONDS", "REPEATS", "TIMES", "START", "STOP",
        };

        public static List<Token> Tokenize(string text)
        {
            var tokens = new List<Token>();
            var i = 0;
            while (true)
            {
                while (i < text.Length && char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                if (i == text.Length)
                {
                    tokens.Add(new Token(TokenKind.End, string.Empty, i));
                    return tokens;
                }

                var start = i;
                var c = text[i];
                switch (c)
                {
                    case '[':
                        tokens.Add(new Token(TokenKind.LeftBracket, "[", i++));
                        continue;
                    case ']':
                        tokens.Add(new Token(TokenKind.RightBracket, "]", i++));
                        continue;
                    case '(':
                        tokens.Add(new Token(TokenKind.LeftParen, "(", i++));
                        continue;
                    case ')':
                        tokens.Add(new Token(TokenKind.RightParen, ")", i++));
                        continue;
                    case ',':
                        tokens.Add(new Token(TokenKind.Comma, ",", i++));
                        continue;
                    case '=' or '!' or '<' or '>':
                        tokens.Add(ReadOperator(text, ref i));
                        continue;
                    case '\'':
                        var literal = ReadQuoted(text, ref i);
                        tokens.Add(new Token(TokenKind.String, text[start..i], start) { Value = literal });
                        continue;
                    default:
                        break;
                }

                if (char.IsAsciiDigit(c) || ((c is '-' or '+') && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
                {
                    i++;
                    while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                    {
                        i++;
                    }

                    tokens.Add(new Token(TokenKind.OtherLiteral, text[start..i], start) { Steps = ["number"] });
                    continue;
                }

                if (!char.IsAsciiLetter(c))
                {
                    throw new PatternSyntaxException($"unexpected character '{c}' at position {i + 1}.");
                }

                var word = ReadWord(text, ref i);
                if (i < text.Length && text[i] == ':')
                {
                    i++;
                    tokens.Add(ReadObjectPath(text, word, start, ref i));
                }
                else if (word is "t" or "h" or "b" && i < text.Length && text[i] == '\'')
                {
                    ReadQuoted(text, ref i);
                    var kind = word switch { "t" => "timestamp", "h" => "hex", _ => "binary" };
                    tokens.Add(new Token(TokenKind.OtherLiteral, text[start..i], start) { Steps = [kind] });
                }
                else if (word.Equals("true", StringComparison.OrdinalIgnoreCase) || word.Equals("false", StringComparison.OrdinalIgnoreCase))
                {
                    tokens.Add(new Token(TokenKind.OtherLiteral, word, start) { Steps = ["boolean"] });
                }
                else if (Keywords.Contains(word.ToUpperInvariant()))
                {
                    tokens.Add(new Token(TokenKind.Keyword, word.ToUpperInvariant(), start));
                }
                else
                {
                    throw new PatternSyntaxException($"unexpected word '{word}' at position {start + 1}.");
                }
            }
        }

        private static Token ReadOperator(string text, ref int i)
        {
            var start = i;
            var c = text[i++];
            var next = i < text.Length ? text[i] : '\0';
            var op = (c, next) switch
            {
                ('=', '=') or ('!', '=') or ('<', '=') or ('>', '=') or ('<', '>') => $"{c}{next}",
                ('!', _) => throw new PatternSyntaxException($"'!' at position {start + 1} must be followed by '='."),
                _ => c.ToString(),
            };
            i = start + op.Length;
            return new Token(TokenKind.Operator, op, start);
        }

        /// <summary>Reads a quoted literal from the quote at <paramref name="i"/>; returns it unescaped.</summary>
        private static string ReadQuoted(string text, ref int i)
        {
            var start = i++;
            var value = new StringBuilder();
            while (i < text.Length)
            {
                var c = text[i++];
                if (c == '\'')
                {
                    return value.ToString();
                }

                if (c == '\\' && i < text.Length && text[i] is '\'' or '\\')
                {
                    value.Append(text[i++]);
                }
                else
                {
                    value.Append(c);
                }
            }

            throw new PatternSyntaxException($"the string starting at position {start + 1} has no closing quote.");
        }

        private static string ReadWord(string text, ref int i)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '-'))
            {
                i++;
            }

            return text[start..i];
        }

        /// <summary>
        /// Reads the part of an object path after the colon: property names (bare or quoted) joined by dots, each
        /// optionally followed by list indexes <c>[*]</c> or <c>[0]</c> written without spaces.
        /// </summary>
        private static Token ReadObjectPath(string text, string objectType, int start, ref int i)
        {
            var steps = new List<string>();
            while (true)
            {
                if (i < text.Length && text[i] == '\'')
                {
                    steps.Add(ReadQuoted(text, ref i));
                }
                else
                {
                    var name = ReadWord(text, ref i);
                    if (name.Length == 0)
                    {
                        throw new PatternSyntaxException($"the object path at position {start + 1} lacks a property name.");
                    }

                    steps.Add(name);
                }

                while (i + 2 < text.Length && text[i] == '[' && (text[i + 1] == '*' || char.IsAsciiDigit(text[i + 1])))
                {
                    var close = text.IndexOf(']', i);
                    if (close < 0)
                    {
                        throw new PatternSyntaxException($"the list index at position {i + 1} is not closed.");
                    }

                    steps.Add(text[i..(close + 1)]);
                    i = close + 1;
                }

                if (i < text.Length && text[i] == '.')
                {
                    i++;
                    continue;
                }

                return new Token(TokenKind.ObjectPath, text[start..i], start) { Value = objectType, Steps = steps };
            }
        }
    }

    private sealed class Parser(List<Token> tokens)
    {
        private int position;
        private int nesting;

        public List<StixComparison> Comparisons { get; } = [];

        /// <summary>Every unsupported construct, once each, in the order met.</summary>
        public List<string> Issues { get; } = [];

        private Token Current => tokens[position];

        public void ParsePattern()
        {
            ParseObservations();
            if (Current.Kind != TokenKind.End)
            {
                throw new PatternSyntaxException($"unexpected {Current.Describe()}.");
            }
        }

        /// <summary>Observation expressions joined by OR (supported), AND or FOLLOWEDBY (not).</summary>
        private void ParseObservations()
        {
            ParseObservation();
            while (Current.Is("OR") || Current.Is("AND") || Current.Is("FOLLOWEDBY"))
            {
                if (Current.Is("AND"))
                {
                    Issue("AND between observation expressions ([...] AND [...]; only [...] OR [...] can become IOCs)");
                }
                else if (Current.Is("FOLLOWEDBY"))
                {
                    Issue("FOLLOWEDBY (a sequence of observations)");
                }

                position++;
                ParseObservation();
            }
        }

        private void ParseObservation()
        {
            Enter();
            if (Current.Kind == TokenKind.LeftBracket)
            {
                position++;
                ParseComparisons();
                Expect(TokenKind.RightBracket, "']'");
            }
            else if (Current.Kind == TokenKind.LeftParen)
            {
                position++;
                ParseObservations();
                Expect(TokenKind.RightParen, "')'");
            }
            else
            {
                throw new PatternSyntaxException($"expected '[' or '(' but found {Current.Describe()}.");
            }

            ParseQualifiers();
            nesting--;
        }

        private void ParseQualifiers()
        {
            while (true)
            {
                if (Current.Is("WITHIN"))
                {
                    position++;
                    ExpectLiteral("number");
                    ExpectKeyword("SECONDS");
                    Issue("the WITHIN qualifier");
                }
                else if (Current.Is("REPEATS"))
                {
                    position++;
                    ExpectLiteral("number");
                    ExpectKeyword("TIMES");
                    Issue("the REPEATS qualifier");
                }
                else if (Current.Is("START"))
                {
                    position++;
                    ExpectLiteral("timestamp");
                    ExpectKeyword("STOP");
                    ExpectLiteral("timestamp");
                    Issue("the START ... STOP qualifier");
                }
                else
                {
                    return;
                }
            }
        }

        /// <summary>Comparisons joined by OR (supported) or AND (not).</summary>
        private void ParseComparisons()
        {
            ParseComparison();
            while (Current.Is("OR") || Current.Is("AND"))
            {
                if (Current.Is("AND"))
                {
                    Issue("AND between comparisons (only comparisons joined by OR can become IOCs)");
                }

                position++;
                ParseComparison();
            }
        }

        private void ParseComparison()
        {
            Enter();
            if (Current.Kind == TokenKind.LeftParen)
            {
                position++;
                ParseComparisons();
                Expect(TokenKind.RightParen, "')'");
                nesting--;
                return;
            }

            if (Current.Is("EXISTS"))
            {
                position++;
                Expect(TokenKind.ObjectPath, "an object path");
                Issue("EXISTS");
                nesting--;
                return;
            }

            var path = Expect(TokenKind.ObjectPath, "an object path");
            var negated = Current.Is("NOT");
            if (negated)
            {
                position++;
            }

            var op = Current;
            if (op.Kind == TokenKind.Keyword && op.Text is "LIKE" or "MATCHES" or "ISSUBSET" or "ISSUPERSET" or "IN")
            {
                position++;
            }
            else
            {
                Expect(TokenKind.Operator, "a comparison operator");
            }

            if (negated)
            {
                Issue("NOT");
            }

            if (op.Is("IN"))
            {
                Expect(TokenKind.LeftParen, "'('");
                ExpectAnyLiteral();
                while (Current.Kind == TokenKind.Comma)
                {
                    position++;
                    ExpectAnyLiteral();
                }

                Expect(TokenKind.RightParen, "')'");
                Issue("the IN operator");
                nesting--;
                return;
            }

            var literal = ExpectAnyLiteral();
            Classify(path, op, literal, negated);
            nesting--;
        }

        /// <summary>Turns a parsed comparison into an IOC, or records what keeps it from being one.</summary>
        private void Classify(Token path, Token op, Token literal, bool negated)
        {
            var issues = Issues.Count;
            if (StixObjectPaths.IsNoIoc(path.Value, path.Steps) && op.Text is "=" or "==" && literal.Kind == TokenKind.String && !negated)
            {
                return;
            }

            var type = StixObjectPaths.TypeOf(path.Value, path.Steps);
            if (type is null)
            {
                Issue($"the object path {path.Text}, which no IOC type stands for");
            }

            var action = op.Text switch
            {
                "=" or "==" => IocAction.Equals,
                "MATCHES" => IocAction.Regex,
                "ISSUBSET" => IocAction.InRange,
                _ => (IocAction?)null,
            };
            if (action is null)
            {
                Issue($"the {op.Text} operator");
            }
            else if (type is { } t && action == IocAction.Regex && !IocTypeRules.IsAllowed(t, IocAction.Regex))
            {
                Issue($"MATCHES on {path.Text} ({t} IOCs take only {string.Join(", ", IocTypeRules.AllowedActions(t))})");
            }
            else if (action == IocAction.InRange && type is not null && type != IocType.IpAddress)
            {
                Issue($"ISSUBSET on {path.Text} (only IP addresses have ranges)");
            }

            if (literal.Kind != TokenKind.String)
            {
                Issue($"a {literal.Steps[0]} literal ({literal.Text}) where a quoted string is needed");
            }

            if (negated || Issues.Count > issues || type is not { } iocType || action is not { } iocAction)
            {
                return;
            }

            var value = literal.Value;
            if (iocAction == IocAction.Equals && iocType == IocType.IpAddress && value.Contains('/', StringComparison.Ordinal))
            {
                iocAction = IocAction.InRange;
            }

            if (iocAction == IocAction.Regex && IocValueNormalizer.Normalize(iocType, IocAction.Regex, value) is { IsValid: false } invalid)
            {
                Issue($"MATCHES {Quote(value)}, which cannot be used: {invalid.Error.TrimEnd('.')}");
                return;
            }

            Comparisons.Add(new StixComparison(iocType, iocAction, value, path.Text));
        }

        private void Issue(string issue)
        {
            if (!Issues.Contains(issue))
            {
                Issues.Add(issue);
            }
        }

        private void Enter()
        {
            if (++nesting > MaxNesting)
            {
                throw new PatternSyntaxException($"brackets are nested more than {MaxNesting} deep.");
            }
        }

        private Token Expect(TokenKind kind, string what)
        {
            var token = Current;
            if (token.Kind != kind)
            {
                throw new PatternSyntaxException($"expected {what} but found {token.Describe()}.");
            }

            position++;
            return token;
        }

        private void ExpectKeyword(string keyword)
        {
            if (!Current.Is(keyword))
            {
                throw new PatternSyntaxException($"expected {keyword} but found {Current.Describe()}.");
            }

            position++;
        }

        private void ExpectLiteral(string kind)
        {
            var token = Current;
            if (token.Kind != TokenKind.OtherLiteral || token.Steps[0] != kind)
            {
                throw new PatternSyntaxException($"expected a {kind} but found {token.Describe()}.");
            }

            position++;
        }

        private Token ExpectAnyLiteral()
        {
            var token = Current;
            if (token.Kind is not (TokenKind.String or TokenKind.OtherLiteral))
            {
                throw new PatternSyntaxException($"expected a literal but found {token.Describe()}.");
            }

            position++;
            return token;
        }
    }
}
