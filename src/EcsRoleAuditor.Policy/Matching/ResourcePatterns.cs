namespace EcsRoleAuditor.Policy.Matching;

/// <summary>
/// Set questions about <c>Resource</c> patterns over ARN resources, with the matching rules of <see cref="ResourceMatcher"/>:
/// wildcards in the first five components of an ARN do not cross a colon, those of a pattern's last component do (the
/// resource part of an ARN keeps its colons; a pattern with fewer components runs on across the ones it leaves out).
/// What a permission boundary leaves of an Allow, whether a Deny removes all of it, whether a grant reaches every resource
/// of a type: each is one of these questions.
/// </summary>
/// <remarks>
/// Patterns are expected with policy variables resolved (<see cref="Evaluation.PolicyVariables.ToResourcePattern"/>): the
/// escapes as <see cref="Wildcard.LiteralStar"/> and <see cref="Wildcard.LiteralQuestionMark"/>, a variable whose value the
/// audit does not know as <see cref="Wildcard.UnknownValue"/> (any value, but not a wildcard a cover can rely on).
/// </remarks>
public static class ResourcePatterns
{
    // Past this many product states an overlap is assumed rather than proven: patterns are short, so only a hostile input gets here.
    private const int StateBudget = 200_000;

    // An ARN has at least five colons; the automata count them up to this.
    private const int ArnColons = 5;

    /// <summary>True when some ARN is matched by every one of the patterns (decided exactly, within a size budget past which it answers true).</summary>
    public static bool Overlap(ReadOnlySpan<string> patterns)
    {
        if (patterns.Length == 0)
        {
            return true;
        }
        var compiled = new Token[patterns.Length][];
        var nonUniversal = 0;
        for (var i = 0; i < patterns.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(patterns[i]);
            if (!IsUniversal(patterns[i]))
            {
                compiled[nonUniversal++] = Compile(patterns[i], plain: false);
            }
        }
        return nonUniversal switch
        {
            0 => true,
            1 => PairAccepts(compiled[0], AnyText, ArnColons),
            2 => PairAccepts(compiled[0], compiled[1], ArnColons),
            _ => ProductAccepts(compiled.AsSpan(0, nonUniversal), ArnColons),
        };
    }

    /// <summary>True when some ARN is matched by both patterns.</summary>
    public static bool Overlap(string first, string second) => Overlap([first, second]);

    /// <summary>
    /// True when every ARN <paramref name="inner"/> matches is also matched by <paramref name="outer"/>. Sound, not complete:
    /// it holds when <paramref name="outer"/> matches <paramref name="inner"/>'s text with each of its wildcards absorbed by a
    /// wildcard at least as wide, which decides every case real policies write (<c>*</c>, prefixes, <c>bucket/*</c> over <c>bucket/logs/*</c>).
    /// </summary>
    public static bool Covers(string outer, string inner)
    {
        ArgumentNullException.ThrowIfNull(outer);
        ArgumentNullException.ThrowIfNull(inner);
        if (IsUniversal(outer) || string.Equals(outer, inner, StringComparison.Ordinal))
        {
            return true;
        }
        return CoversCompiled(Compile(outer, plain: false), Compile(inner, plain: false));
    }

    /// <summary>Like <see cref="Overlap(string, string)"/> for plain text patterns (StringLike): every wildcard crosses colons, any text qualifies.</summary>
    internal static bool OverlapText(string first, string second) =>
        PairAccepts(Compile(first, plain: true), Compile(second, plain: true), minColons: 0);

    /// <summary>Like <see cref="Covers"/> for plain text patterns (StringLike).</summary>
    internal static bool CoversText(string outer, string inner) =>
        IsUniversal(outer) || string.Equals(outer, inner, StringComparison.Ordinal) || CoversCompiled(Compile(outer, plain: true), Compile(inner, plain: true));

    private static bool CoversCompiled(Token[] outer, Token[] inner) =>
        !Array.Exists(outer, t => t.Kind == TokenKind.Unknown) // a value nobody knows covers nothing for certain
        && SymbolicMatch(outer, inner);

    /// <summary>A resource ARN as a pattern that matches exactly it: its own <c>*</c> and <c>?</c> become literal stand-ins.</summary>
    public static string Literal(string resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.Replace('*', Wildcard.LiteralStar).Replace('?', Wildcard.LiteralQuestionMark);
    }

    /// <summary>True when the pattern is <c>*</c> (or only stars): it matches every resource, ARN or not.</summary>
    public static bool IsUniversal(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return pattern.Length > 0 && !pattern.AsSpan().ContainsAnyExcept('*');
    }

    /// <summary>
    /// True when the pattern can match the resource of a wildcard-only action's request, which is <c>*</c> itself
    /// (Service Authorization Reference: actions without resource types take <c>"Resource": "*"</c>).
    /// </summary>
    public static bool MatchesAnyResourceRequest(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return Wildcard.IsMatch(pattern.Replace(Wildcard.UnknownValue, '*'), "*", ignoreCase: false);
    }

    // "*" across colons: paired with one pattern, it asks whether that pattern matches any ARN at all.
    private static readonly Token[] AnyText = [new(TokenKind.Star, '\0', CrossesColon: true)];

    private enum TokenKind : byte
    {
        Literal,
        One,
        Star,
        Unknown,
    }

    /// <param name="Kind">A literal character, <c>?</c>, <c>*</c>, or a variable's unknown value (matched like <c>*</c>).</param>
    /// <param name="Char">The literal character.</param>
    /// <param name="CrossesColon">For wildcards: true in the pattern's last component, where they may match colons.</param>
    private readonly record struct Token(TokenKind Kind, char Char, bool CrossesColon)
    {
        public bool IsRun => Kind is TokenKind.Star or TokenKind.Unknown;

        public bool Accepts(char c) => Kind switch
        {
            TokenKind.Literal => c == Char,
            _ => CrossesColon || c != ':',
        };
    }

    // Policies repeat their patterns (and the catalog its templates) across the questions of an audit: each is compiled once.
    // Bounded, as a long-lived process sees an open-ended set of policies.
    private const int MaxCachedPatterns = 20_000;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, bool), Token[]> Compiled = new();

    private static Token[] Compile(string pattern, bool plain)
    {
        if (Compiled.TryGetValue((pattern, plain), out var cached))
        {
            return cached;
        }
        if (Compiled.Count >= MaxCachedPatterns)
        {
            Compiled.Clear();
        }
        return Compiled[(pattern, plain)] = CompileUncached(pattern, plain);
    }

    private static Token[] CompileUncached(string pattern, bool plain)
    {
        // ARN components end at the first five colons; wildcards of every component but the last stay within theirs.
        // In plain text every wildcard crosses colons.
        var lastComponentStart = 0;
        for (int i = 0, colons = 0; !plain && i < pattern.Length && colons < ArnColons; i++)
        {
            if (pattern[i] == ':')
            {
                colons++;
                lastComponentStart = i + 1;
            }
        }
        var tokens = new Token[pattern.Length];
        for (var i = 0; i < pattern.Length; i++)
        {
            var crosses = i >= lastComponentStart;
            tokens[i] = pattern[i] switch
            {
                '*' => new Token(TokenKind.Star, '\0', crosses),
                '?' => new Token(TokenKind.One, '\0', crosses),
                Wildcard.UnknownValue => new Token(TokenKind.Unknown, '\0', crosses),
                Wildcard.LiteralStar => new Token(TokenKind.Literal, '*', false),
                Wildcard.LiteralQuestionMark => new Token(TokenKind.Literal, '?', false),
                var c => new Token(TokenKind.Literal, c, false),
            };
        }
        return tokens;
    }

    /// <summary>
    /// Two automata run together, with no allocation but the visited set: a state is both positions and the colons seen
    /// (up to <paramref name="minColons"/>); a step consumes one character both accept, and only the characters that can
    /// make a difference are tried (a literal either side expects, else a colon and one character neither names).
    /// </summary>
    private static bool PairAccepts(Token[] a, Token[] b, int minColons)
    {
        var width = b.Length + 1;
        var layers = minColons + 1;
        var stateCount = (a.Length + 1) * width * layers;
        var visited = stateCount <= 4096 ? stackalloc bool[stateCount] : new bool[stateCount];
        var stack = new Stack<int>();
        void Push(Span<bool> seen, int i, int j, int c)
        {
            var index = ((i * width) + j) * layers + c;
            if (!seen[index])
            {
                seen[index] = true;
                stack.Push(index);
            }
        }
        Push(visited, 0, 0, 0);
        while (stack.Count > 0)
        {
            var state = stack.Pop();
            var c = state % layers;
            var j = state / layers % width;
            var i = state / layers / width;
            if (i == a.Length && j == b.Length && c >= minColons)
            {
                return true;
            }
            if (i < a.Length && a[i].IsRun)
            {
                Push(visited, i + 1, j, c);
            }
            if (j < b.Length && b[j].IsRun)
            {
                Push(visited, i, j + 1, c);
            }
            if (i == a.Length || j == b.Length)
            {
                continue;
            }
            var (x, y) = (a[i], b[j]);
            var nextI = x.IsRun ? i : i + 1;
            var nextJ = y.IsRun ? j : j + 1;
            if (x.Kind == TokenKind.Literal || y.Kind == TokenKind.Literal)
            {
                var ch = x.Kind == TokenKind.Literal ? x.Char : y.Char;
                if (x.Accepts(ch) && y.Accepts(ch))
                {
                    Push(visited, nextI, nextJ, Math.Min(minColons, c + (ch == ':' ? 1 : 0)));
                }
                continue;
            }
            Push(visited, nextI, nextJ, c); // a character neither names, never a colon
            if (x.Accepts(':') && y.Accepts(':'))
            {
                Push(visited, nextI, nextJ, Math.Min(minColons, c + 1));
            }
        }
        return false;
    }

    /// <summary>Runs the patterns' automata together over every string with at least <paramref name="minColons"/> colons; true when all can end together.</summary>
    private static bool ProductAccepts(ReadOnlySpan<Token[]> automata, int minColons)
    {
        var n = automata.Length;
        var seen = new HashSet<State>(StateComparer.Instance);
        var queue = new Queue<State>();
        void Add(State state)
        {
            if (seen.Add(state))
            {
                queue.Enqueue(state);
            }
        }
        Add(new State(new int[n], 0));
        var symbols = new List<char>();
        var automataArray = automata.ToArray();
        while (queue.Count > 0)
        {
            if (seen.Count > StateBudget)
            {
                return true;
            }
            var state = queue.Dequeue();
            // A run may end without consuming anything: each automaton can step over a run token at its position.
            for (var k = 0; k < n; k++)
            {
                var p = state.Positions[k];
                if (p < automataArray[k].Length && automataArray[k][p].IsRun)
                {
                    Add(state.Advance(k));
                }
            }
            if (state.Colons >= minColons && AllAtEnd(automataArray, state))
            {
                return true;
            }
            // The characters worth trying next: every literal any automaton expects here, a colon, and one character no pattern names.
            symbols.Clear();
            symbols.Add(':');
            symbols.Add('\uE0FF');
            for (var k = 0; k < n; k++)
            {
                var p = state.Positions[k];
                if (p < automataArray[k].Length && automataArray[k][p].Kind == TokenKind.Literal && !symbols.Contains(automataArray[k][p].Char))
                {
                    symbols.Add(automataArray[k][p].Char);
                }
            }
            foreach (var c in symbols)
            {
                Step(automataArray, state, c, 0, new int[n], Add);
            }
        }
        return false;
    }

    private static bool AllAtEnd(Token[][] automata, State state)
    {
        for (var k = 0; k < automata.Length; k++)
        {
            if (state.Positions[k] != automata[k].Length)
            {
                return false;
            }
        }
        return true;
    }

    // Every combination of the automata's moves on one character: a run token may consume and stay, others consume and advance.
    private static void Step(Token[][] automata, State state, char c, int k, int[] next, Action<State> add)
    {
        if (k == automata.Length)
        {
            add(new State([.. next], Math.Min(ArnColons, state.Colons + (c == ':' ? 1 : 0))));
            return;
        }
        var p = state.Positions[k];
        if (p >= automata[k].Length)
        {
            return;
        }
        var token = automata[k][p];
        if (!token.Accepts(c))
        {
            return;
        }
        next[k] = token.IsRun ? p : p + 1;
        Step(automata, state, c, k + 1, next, add);
    }

    /// <summary>Whether <paramref name="outer"/> matches <paramref name="inner"/> read as symbols: each inner wildcard must meet an outer run at least as wide.</summary>
    private static bool SymbolicMatch(Token[] outer, Token[] inner)
    {
        // reachable[i, j]: outer[..i] can match inner[..j].
        var reachable = new bool[outer.Length + 1, inner.Length + 1];
        reachable[0, 0] = true;
        for (var i = 0; i <= outer.Length; i++)
        {
            for (var j = 0; j <= inner.Length; j++)
            {
                if (!reachable[i, j])
                {
                    continue;
                }
                if (i == outer.Length)
                {
                    continue;
                }
                var o = outer[i];
                if (o.IsRun)
                {
                    reachable[i + 1, j] = true; // the run matches nothing more
                    if (j < inner.Length && Absorbs(o, inner[j]))
                    {
                        reachable[i, j + 1] = true; // the run takes the next inner symbol and goes on
                    }
                }
                else if (j < inner.Length && MatchesOne(o, inner[j]))
                {
                    reachable[i + 1, j + 1] = true;
                }
            }
        }
        return reachable[outer.Length, inner.Length];
    }

    // An outer run absorbs any inner symbol whose characters it accepts.
    private static bool Absorbs(Token run, Token symbol) => symbol.Kind switch
    {
        TokenKind.Literal => run.Accepts(symbol.Char),
        _ => run.CrossesColon || !symbol.CrossesColon,
    };

    // An outer single-character token matches an inner literal it accepts, or an inner ? no wider than itself.
    private static bool MatchesOne(Token outer, Token symbol) => (outer.Kind, symbol.Kind) switch
    {
        (TokenKind.Literal, TokenKind.Literal) => outer.Char == symbol.Char,
        (TokenKind.One, TokenKind.Literal) => outer.Accepts(symbol.Char),
        (TokenKind.One, TokenKind.One) => outer.CrossesColon || !symbol.CrossesColon,
        _ => false,
    };

    private readonly record struct State(int[] Positions, int Colons)
    {
        public State Advance(int k)
        {
            var positions = (int[])Positions.Clone();
            positions[k]++;
            return new State(positions, Colons);
        }
    }

    private sealed class StateComparer : IEqualityComparer<State>
    {
        public static readonly StateComparer Instance = new();

        public bool Equals(State x, State y) => x.Colons == y.Colons && x.Positions.AsSpan().SequenceEqual(y.Positions);

        public int GetHashCode(State state)
        {
            var hash = new HashCode();
            hash.Add(state.Colons);
            foreach (var p in state.Positions)
            {
                hash.Add(p);
            }
            return hash.ToHashCode();
        }
    }
}
