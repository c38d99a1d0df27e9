namespace EcsRoleAuditor.Policy.Matching;

/// <summary>IAM's glob matching: <c>*</c> matches any run of characters (including none), <c>?</c> exactly one character.</summary>
public static class Wildcard
{
    /// <summary>Stands in a pattern for a literal <c>*</c> (the policy variable escape <c>${*}</c>); matches only <c>*</c>.</summary>
    public const char LiteralStar = '\uE000';

    /// <summary>Stands in a pattern for a literal <c>?</c> (the policy variable escape <c>${?}</c>); matches only <c>?</c>.</summary>
    public const char LiteralQuestionMark = '\uE001';

    /// <summary>
    /// Stands in a pattern for a policy variable whose value the audit does not know (see
    /// <see cref="Evaluation.PolicyVariables.ToResourcePattern"/>): it may be any text, so it is matched like <c>*</c> when
    /// asking whether a resource could be allowed, and never relied on when asking whether one surely is.
    /// </summary>
    public const char UnknownValue = '\uE002';

    /// <summary>True when the pattern contains <c>*</c> or <c>?</c>.</summary>
    public static bool HasWildcard(ReadOnlySpan<char> pattern) => pattern.IndexOfAny('*', '?') >= 0;

    /// <summary>
    /// Matches <paramref name="text"/> against <paramref name="pattern"/> in O(n·m) worst case and O(n+m) typical,
    /// without allocating (greedy scan that backtracks only to the most recent <c>*</c>).
    /// </summary>
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text, bool ignoreCase)
    {
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starT = t;
            }
            else if (p < pattern.Length && (pattern[p] == '?' || CharEquals(pattern[p], text[t], ignoreCase)))
            {
                p++;
                t++;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }

    private static bool CharEquals(char patternChar, char textChar, bool ignoreCase) =>
        patternChar == textChar
        || (ignoreCase && char.ToUpperInvariant(patternChar) == char.ToUpperInvariant(textChar))
        || (patternChar == LiteralStar && textChar == '*')
        || (patternChar == LiteralQuestionMark && textChar == '?');
}
