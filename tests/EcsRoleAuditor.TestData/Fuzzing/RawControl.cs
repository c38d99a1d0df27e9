namespace EcsRoleAuditor.TestData.Fuzzing;

/// <summary>Characters from input that must never reach a terminal raw: C0 and C1 controls other than the newline, DEL, and the bidi overrides and isolates.</summary>
public static class RawControl
{
    /// <summary>The first character a terminal would act on or display reordered, with its context; null when there is none.</summary>
    public static string? First(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var control = c is < ' ' and not '\n' or '\u007f' or (>= '\u0080' and <= '\u009f') or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069');
            if (control)
            {
                var start = Math.Max(0, i - 40);
                return $"U+{(int)c:X4} at {i}: …{text[start..Math.Min(text.Length, i + 20)]}…";
            }
        }
        return null;
    }
}
