namespace EcsRoleAuditor.TestData;

/// <summary>
/// The reference evaluator's known departures from AWS's documented behaviour. Cases in these categories are left out of
/// the agreement figure (and counted apart); each category has its own test asserting AWS's behaviour on our evaluator.
/// </summary>
public static class ReferenceDeviations
{
    /// <summary>
    /// The reference never lets a wildcard stand in the resource-type part of an ARN (<c>arn:aws:ecs:*:*:*/prod/*</c>,
    /// <c>arn:*:identity-sync:*:*:*/*</c>); AWS matches wildcards anywhere in the resource segment.
    /// </summary>
    public const string WildcardInResourceType = "wildcard in the resource-type part of an ARN";

    /// <summary>
    /// The known deviation that explains a disagreement on a case, or null when none does: the case's policies have a
    /// pattern of the category that matches the requested resource.
    /// </summary>
    public static string? ExplainingDeviation(EvaluationCase c, Func<string, IEnumerable<string>> resourcePatternsOf)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(resourcePatternsOf);
        var documents = c.IdentityPolicies.Concat(c.PermissionBoundaries ?? []);
        return documents.SelectMany(resourcePatternsOf).Any(p => HasWildcardInResourceType(p) && Policy.Matching.ResourceMatcher.IsMatch(p, c.Resource))
            ? WildcardInResourceType
            : null;
    }

    /// <summary>True when the ARN pattern's resource segment has a wildcard before its first '/'.</summary>
    public static bool HasWildcardInResourceType(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var segments = pattern.Split(':', 6);
        if (segments.Length < 6)
        {
            return false;
        }
        var slash = segments[5].IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && segments[5].AsSpan(0, slash).IndexOfAny('*', '?') >= 0;
    }
}
