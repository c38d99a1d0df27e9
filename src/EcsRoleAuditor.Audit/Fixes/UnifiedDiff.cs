using System.Text;

namespace EcsRoleAuditor.Audit.Fixes;

/// <summary>
/// A unified diff of two texts, line by line (the format <c>diff -u</c> and <c>git apply</c> read): a longest common
/// subsequence of lines, hunks with three lines of context. Policies are a few hundred lines at most, so the quadratic
/// table is small.
/// </summary>
public static class UnifiedDiff
{
    private const int Context = 3;

    /// <summary>The diff from <paramref name="before"/> (null: the file is new) to <paramref name="after"/> (null: it goes); empty when they are equal.</summary>
    public static string Of(string beforeLabel, string? before, string afterLabel, string? after)
    {
        ArgumentNullException.ThrowIfNull(beforeLabel);
        ArgumentNullException.ThrowIfNull(afterLabel);
        var a = Lines(before);
        var b = Lines(after);
        var edits = Edits(a, b);
        if (edits.TrueForAll(e => e.Kind == ' '))
        {
            return "";
        }
        var text = new StringBuilder();
        text.Append("--- ").Append(before is null ? "/dev/null" : beforeLabel).Append('\n');
        text.Append("+++ ").Append(after is null ? "/dev/null" : afterLabel).Append('\n');
        var i = 0;
        while (i < edits.Count)
        {
            var firstChange = edits.FindIndex(i, e => e.Kind != ' ');
            if (firstChange < 0)
            {
                break;
            }
            var start = Math.Max(i, firstChange - Context);
            // The hunk runs until more than twice the context of unchanged lines separates two changes.
            var end = firstChange;
            for (var j = firstChange; j < edits.Count; j++)
            {
                if (edits[j].Kind != ' ')
                {
                    end = j;
                }
                else if (j - end > 2 * Context)
                {
                    break;
                }
            }
            var stop = Math.Min(edits.Count, end + Context + 1);
            var hunk = edits.GetRange(start, stop - start);
            var oldStart = edits[start].OldLine;
            var newStart = edits[start].NewLine;
            var oldCount = hunk.Count(e => e.Kind != '+');
            var newCount = hunk.Count(e => e.Kind != '-');
            text.Append("@@ -").Append(Range(oldStart, oldCount)).Append(" +").Append(Range(newStart, newCount)).Append(" @@\n");
            foreach (var edit in hunk)
            {
                text.Append(edit.Kind).Append(edit.Text).Append('\n');
            }
            i = stop;
        }
        return text.ToString();
    }

    // diff -u numbers an empty range by the line before it.
    private static string Range(int start, int count) => count == 0 ? $"{start - 1},0" : count == 1 ? $"{start}" : $"{start},{count}";

    private static string[] Lines(string? text) => text is null or "" ? [] : text.TrimEnd('\n').Split('\n');

    private static List<Edit> Edits(string[] a, string[] b)
    {
        // lcs[i, j]: the longest common subsequence of a[i..] and b[j..].
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = string.Equals(a[i], b[j], StringComparison.Ordinal) ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }
        var edits = new List<Edit>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && string.Equals(a[x], b[y], StringComparison.Ordinal))
            {
                edits.Add(new Edit(' ', a[x], x + 1, y + 1));
                x++;
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                edits.Add(new Edit('-', a[x], x + 1, y + 1));
                x++;
            }
            else
            {
                edits.Add(new Edit('+', b[y], x + 1, y + 1));
                y++;
            }
        }
        return edits;
    }

    // OldLine and NewLine: the 1-based line numbers the edit is at in each text (for an insertion, the old text's next line).
    private sealed record Edit(char Kind, string Text, int OldLine, int NewLine);
}
