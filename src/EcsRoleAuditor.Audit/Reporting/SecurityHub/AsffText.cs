namespace EcsRoleAuditor.Audit.Reporting.SecurityHub;

/// <summary>
/// The ASFF length limits the writer keeps (AWS Security Hub API Reference, "AwsSecurityFinding", "Recommendation",
/// "Severity"), counted in UTF-16 code units: never fewer than the characters AWS counts, so a text within them is
/// within AWS's.
/// </summary>
internal static class AsffLimits
{
    public const int Title = 256;
    public const int Description = 1024;
    public const int RecommendationText = 512;
    public const int SeverityOriginal = 64;
    public const int ProductFieldKey = 128;
    public const int ProductFieldValue = 2048;
    public const int ProductFieldCount = 50;
    public const int Region = 16;

    /// <summary>
    /// Identifiers (ARNs, the family) are never cut, which would make them name something else; one longer than this
    /// names nothing AWS can hold (IAM's Role.Arn and Security Hub's ProductArn are at most 2,048 characters, an ECS
    /// family 255) and is refused. With every text bounded too, a finding stays far below 240 KB.
    /// </summary>
    public const int Identifier = 2048;
}

/// <summary>Cutting text to a limit the way a reader can tell: at a character boundary, with an ellipsis.</summary>
internal static class AsffText
{
    public const string Ellipsis = "\u2026";

    /// <summary><paramref name="text"/> when it fits in <paramref name="maxLength"/>; else its start and an ellipsis, never half a surrogate pair.</summary>
    public static string Bounded(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }
        var cut = maxLength - Ellipsis.Length;
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }
        return string.Concat(text.AsSpan(0, cut), Ellipsis);
    }

    /// <summary>The items comma-separated, as many whole as fit in <paramref name="maxLength"/>, then <c>(+N more)</c> for the rest.</summary>
    public static string BoundedList(IReadOnlyList<string> items, int maxLength)
    {
        var all = string.Join(", ", items);
        if (all.Length <= maxLength)
        {
            return all;
        }
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < items.Count; i++)
        {
            var next = (i == 0 ? "" : ", ") + items[i];
            var left = items.Count - i - 1;
            if (text.Length + next.Length + More(left).Length <= maxLength)
            {
                text.Append(next);
                continue;
            }
            // The previous item was taken only with room for this tail; with none taken, the first is cut instead.
            return i == 0 ? Bounded(items[0], maxLength - More(left).Length) + More(left) : text + More(left + 1);
        }
        return text.ToString();
    }

    private static string More(int count) => count == 0 ? "" : $" (+{count} more)";
}
