namespace EcsRoleAuditor.Policy.Evaluation;

// CONTRACT ONLY: the conditions helper replaces the bodies with the real implementation.

/// <summary>Policy variables: <c>${aws:username}</c>, <c>${aws:PrincipalTag/team}</c>, <c>${key, 'default'}</c>, and the escapes <c>${*}</c>, <c>${?}</c>, <c>${$}</c>.</summary>
public static class PolicyVariables
{
    /// <summary>True when the text contains a <c>${</c> that could be a policy variable.</summary>
    public static bool ContainsVariable(string text) => text.Contains("${", StringComparison.Ordinal);

    /// <summary>
    /// Substitutes every variable in <paramref name="text"/> from the context. Returns false when a variable has no
    /// single value in the context and no default: the element then matches nothing (AWS's rule).
    /// With <paramref name="asWildcardPattern"/> (Resource, StringLike, ArnLike), the escapes <c>${*}</c> and <c>${?}</c> become
    /// <see cref="Matching.Wildcard.LiteralStar"/> and <see cref="Matching.Wildcard.LiteralQuestionMark"/>, which the wildcard matcher
    /// matches as the plain characters; otherwise they become <c>*</c> and <c>?</c>.
    /// </summary>
    public static bool TrySubstitute(string text, RequestContext context, bool asWildcardPattern, out string result) => throw new NotImplementedException();
}
