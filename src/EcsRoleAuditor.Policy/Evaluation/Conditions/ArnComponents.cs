using EcsRoleAuditor.Policy.Matching;

namespace EcsRoleAuditor.Policy.Evaluation.Conditions;

/// <summary>
/// ARN matching as the Arn* condition operators do it: the six colon-separated components
/// (<c>arn:partition:service:region:account:resource</c>, the resource keeping any further colons) are matched one by one,
/// case-sensitively, each with <c>*</c> and <c>?</c> wildcards that cannot cross into the next component.
/// </summary>
internal static class ArnComponents
{
    private const int SeparatorsBeforeResource = 5;

    /// <summary>True when the text has the six components of an ARN and starts with <c>arn:</c>.</summary>
    public static bool IsArn(ReadOnlySpan<char> text) =>
        text.StartsWith("arn:", StringComparison.Ordinal) && HasAllComponents(text);

    /// <summary>True when the text has at least five colons, i.e. six components.</summary>
    public static bool HasAllComponents(ReadOnlySpan<char> text) => text.Count(':') >= SeparatorsBeforeResource;

    /// <summary>Matches an ARN against a pattern of six components; false when either has fewer.</summary>
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> arn)
    {
        for (var component = 0; component < SeparatorsBeforeResource; component++)
        {
            var patternEnd = pattern.IndexOf(':');
            var arnEnd = arn.IndexOf(':');
            if (patternEnd < 0 || arnEnd < 0 || !Wildcard.IsMatch(pattern[..patternEnd], arn[..arnEnd], ignoreCase: false))
            {
                return false;
            }
            pattern = pattern[(patternEnd + 1)..];
            arn = arn[(arnEnd + 1)..];
        }
        return Wildcard.IsMatch(pattern, arn, ignoreCase: false);
    }
}
