namespace EcsRoleAuditor.Policy.Matching;

/// <summary>
/// Matches a <c>Resource</c> pattern against a request's resource ARN the way IAM documents it: an ARN has six
/// colon-separated segments (<c>arn:partition:service:region:account:resource</c>, the resource segment keeping any
/// further colons); wildcards apply within a segment, case-sensitively, and a <c>*</c> that ends the last segment a
/// pattern has may run on across the colons of the segments the pattern leaves out (<c>arn:aws:s3:*</c>).
/// </summary>
public static class ResourceMatcher
{
    private const int ArnSegments = 6;

    /// <summary>True when <paramref name="pattern"/> (a policy <c>Resource</c> entry, variables already substituted) matches <paramref name="resource"/>.</summary>
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> resource)
    {
        if (pattern.Length == 1 && pattern[0] == '*')
        {
            return true;
        }
        Span<Range> patternSegments = stackalloc Range[ArnSegments];
        Span<Range> resourceSegments = stackalloc Range[ArnSegments];
        var patternCount = Split(pattern, patternSegments);
        var resourceCount = Split(resource, resourceSegments);
        if (resourceCount < ArnSegments)
        {
            // Not an ARN (e.g. "*" for a wildcard-only action): only a whole-string match can apply.
            return Wildcard.IsMatch(pattern, resource, ignoreCase: false);
        }
        for (var i = 0; i < patternCount; i++)
        {
            var patternSegment = pattern[patternSegments[i]];
            var resourceSegment = i == patternCount - 1
                ? resource[resourceSegments[i].Start..]   // a short pattern's last segment faces the rest of the ARN
                : resource[resourceSegments[i]];
            if (!Wildcard.IsMatch(patternSegment, resourceSegment, ignoreCase: false))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// The resources <see cref="SegmentsWithoutVariablesMatch"/> accepts, as a pattern: each ARN segment that holds a policy
    /// variable becomes <c>*</c>. Null when the pattern has fewer than six segments (it then accepts no resource).
    /// </summary>
    public static string? VariableShape(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        Span<Range> segments = stackalloc Range[ArnSegments];
        if (Split(pattern, segments) < ArnSegments)
        {
            return null;
        }
        var parts = new string[ArnSegments];
        for (var i = 0; i < ArnSegments; i++)
        {
            var segment = pattern[segments[i]];
            parts[i] = segment.Contains("${", StringComparison.Ordinal) ? "*" : segment;
        }
        return string.Join(':', parts);
    }

    /// <summary>
    /// True when every ARN segment of the pattern that holds no policy variable matches the resource's: whether the
    /// pattern matches then depends on the variables' values alone. A resource that is not an ARN gives false.
    /// </summary>
    public static bool SegmentsWithoutVariablesMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> resource)
    {
        Span<Range> patternSegments = stackalloc Range[ArnSegments];
        Span<Range> resourceSegments = stackalloc Range[ArnSegments];
        var patternCount = Split(pattern, patternSegments);
        if (Split(resource, resourceSegments) < ArnSegments || patternCount < ArnSegments)
        {
            return false;
        }
        for (var i = 0; i < ArnSegments; i++)
        {
            var patternSegment = pattern[patternSegments[i]];
            if (patternSegment.IndexOf("${", StringComparison.Ordinal) < 0
                && !Wildcard.IsMatch(patternSegment, resource[resourceSegments[i]], ignoreCase: false))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Splits at the first five colons; returns the number of segments (1 to 6).</summary>
    private static int Split(ReadOnlySpan<char> arn, Span<Range> segments)
    {
        var count = 0;
        var start = 0;
        while (count < ArnSegments - 1)
        {
            var colon = arn[start..].IndexOf(':');
            if (colon < 0)
            {
                break;
            }
            segments[count++] = new Range(start, start + colon);
            start += colon + 1;
        }
        segments[count++] = new Range(start, arn.Length);
        return count;
    }
}
