namespace EcsRoleAuditor.Policy.Matching;

/// <summary>Levenshtein distance, for "did you mean" suggestions (condition operators, action names).</summary>
public static class EditDistance
{
    /// <summary>
    /// The number of single-character insertions, deletions and substitutions that turn <paramref name="a"/> into
    /// <paramref name="b"/>, or <paramref name="limit"/> when it is at least that (length difference alone decides it
    /// cheaply); with <paramref name="ignoreCase"/> characters are compared by their invariant upper case.
    /// </summary>
    public static int Between(string a, string b, int limit = int.MaxValue, bool ignoreCase = false)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (Math.Abs(a.Length - b.Length) >= limit)
        {
            return limit;
        }
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var same = ignoreCase ? char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 1]) : a[i - 1] == b[j - 1];
                current[j] = Math.Min(previous[j - 1] + (same ? 0 : 1), Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return Math.Min(previous[b.Length], limit);
    }
}
