using System.Runtime.CompilerServices;
using EcsRoleAuditor.Policy.Matching;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Policy.Evaluation;

/// <summary>A policy document prepared for repeated decisions; built once per document instance and cached.</summary>
internal sealed class CompiledPolicy
{
    private static readonly ConditionalWeakTable<PolicyDocument, CompiledPolicy> Cache = new();

    private CompiledPolicy(PolicyDocument document)
    {
        Document = document;
        Statements = [.. document.Statements.Select(s => new CompiledStatement(s, document.PolicyVariablesEnabled))];
    }

    public PolicyDocument Document { get; }

    public CompiledStatement[] Statements { get; }

    /// <summary>The compiled form of a document, compiled on first use.</summary>
    public static CompiledPolicy For(PolicyDocument document) => Cache.GetValue(document, static d => new CompiledPolicy(d));
}

/// <summary>One statement with its Action element compiled; Resource and Condition are cheap enough to evaluate directly.</summary>
internal sealed class CompiledStatement
{
    private readonly ActionMatcher? _actions;
    private readonly bool _resourcesHaveVariables;

    public CompiledStatement(Statement statement, bool policyVariablesEnabled)
    {
        Statement = statement;
        PolicyVariablesEnabled = policyVariablesEnabled;
        _actions = statement.Actions is null ? null : new ActionMatcher(statement.Actions.Patterns);
        _resourcesHaveVariables = policyVariablesEnabled
            && statement.Resources is not null
            && statement.Resources.Patterns.Any(PolicyVariables.ContainsVariable);
    }

    public Statement Statement { get; }

    public bool PolicyVariablesEnabled { get; }

    public bool IsDeny => Statement.Effect == Effect.Deny;

    /// <summary>True when the statement applies to the request: action, resource and every condition.</summary>
    public bool Matches(string action, string resource, RequestContext context) =>
        MatchesAction(action) && MatchesResource(resource, context) && ConditionsHold(context);

    /// <summary>
    /// Whether the statement applies to a request for <paramref name="resource"/> with what the audit knows of the rest:
    /// the action decides, the resource is decided unless a policy variable the audit does not know is in the way, and
    /// each condition is decided as <see cref="ConditionEvaluator.Decide"/> can.
    /// </summary>
    /// <param name="action">The action.</param>
    /// <param name="resource">The resource ARN, or with <paramref name="resourceIsShape"/> a pattern every ARN the request may name matches.</param>
    /// <param name="known">What the audit knows of the request.</param>
    /// <param name="resourceIsShape">True when the audit knows only the shape of the resource (a secret's ARN without its random suffix).</param>
    public Truth Applies(string action, string resource, KnownContext known, bool resourceIsShape = false)
    {
        if (!MatchesAction(action))
        {
            return Truth.False;
        }
        var applies = MatchesResource(resource, known, resourceIsShape);
        foreach (var clause in Statement.Conditions)
        {
            if (applies == Truth.False)
            {
                break;
            }
            applies = applies.And(ConditionEvaluator.Decide(clause, known, PolicyVariablesEnabled));
        }
        return applies;
    }

    // Mirrors MatchesResource below in three values: a pattern whose variable is known to have no value is unresolved
    // (a NotResource statement then does not apply), one whose variable the audit does not know may or may not match.
    private Truth MatchesResource(string resource, KnownContext known, bool resourceIsShape)
    {
        var resources = Statement.Resources;
        if (resources is null)
        {
            return Truth.True;
        }
        var unknown = false;
        foreach (var pattern in resources.Patterns)
        {
            var result = UnresolvedValue.IsIn(resource) ? UnresolvedMatches(pattern, resource, known, resourceIsShape)
                : resourceIsShape ? ShapeMatches(pattern, resource, known)
                : PatternMatches(pattern, resource, known);
            switch (result)
            {
                case PatternResult.Match:
                    return TruthLogic.Of(!resources.IsNegated);
                case PatternResult.Unresolved when resources.IsNegated:
                    return Truth.False;
                case PatternResult.Unknown:
                    unknown = true;
                    break;
            }
        }
        return unknown ? Truth.Unknown : TruthLogic.Of(resources.IsNegated);
    }

    // Every resource of the shape, some of them, or none.
    private PatternResult ShapeMatches(string pattern, string shape, KnownContext known)
    {
        var resolved = _resourcesHaveVariables && PolicyVariables.ContainsVariable(pattern) ? PolicyVariables.ToResourcePattern(pattern, known) : pattern;
        if (resolved is null)
        {
            return PatternResult.Unresolved;
        }
        return ResourcePatterns.Covers(resolved, shape) ? PatternResult.Match
            : ResourcePatterns.Overlap(resolved, shape) ? PatternResult.Unknown
            : PatternResult.NoMatch;
    }

    // A resource infrastructure code leaves partly to deployment: an unresolved value the pattern names too is the same
    // value on both sides (one literal stands for it in each); any other is some value the audit does not know, which
    // only a pattern at least as wide covers and a narrower one may or may not reach.
    private PatternResult UnresolvedMatches(string pattern, string resource, KnownContext known, bool resourceIsShape)
    {
        var shape = resourceIsShape ? resource : ResourcePatterns.Literal(resource);
        foreach (var marker in UnresolvedValue.In(resource))
        {
            if (pattern.Contains(marker, StringComparison.Ordinal))
            {
                var shared = SharedValue + marker[UnresolvedValue.Prefix.Length..^1] + SharedValue;
                pattern = pattern.Replace(marker, shared, StringComparison.Ordinal);
                shape = shape.Replace(marker, shared, StringComparison.Ordinal);
            }
            else
            {
                // The resource is some value there: a run in its shape, which only a pattern wide enough covers.
                shape = shape.Replace(marker, "*", StringComparison.Ordinal);
            }
        }
        return ShapeMatches(pattern, shape, known);
    }

    // Brackets the name of an unresolved value both sides share; a private-use character no ARN holds.
    private const char SharedValue = '\uE020';

    private PatternResult PatternMatches(string pattern, string resource, KnownContext known)
    {
        if (!_resourcesHaveVariables || !PolicyVariables.ContainsVariable(pattern))
        {
            return ResourceMatcher.IsMatch(pattern, resource) ? PatternResult.Match : PatternResult.NoMatch;
        }
        if (PolicyVariables.ToResourcePattern(pattern, known) is not { } resolved)
        {
            return ResourceMatcher.SegmentsWithoutVariablesMatch(pattern, resource) ? PatternResult.Unresolved : PatternResult.NoMatch;
        }
        if (resolved.IndexOf(Wildcard.UnknownValue, StringComparison.Ordinal) < 0)
        {
            return ResourceMatcher.IsMatch(resolved, resource) ? PatternResult.Match : PatternResult.NoMatch;
        }
        // Which resources it names depends on a value the audit does not know: only a resource no value could reach is decided.
        return ResourcePatterns.Overlap(resolved, ResourcePatterns.Literal(resource)) ? PatternResult.Unknown : PatternResult.NoMatch;
    }

    private bool MatchesAction(string action)
    {
        if (_actions is null)
        {
            return false;
        }
        return _actions.IsMatch(action) != Statement.Actions!.IsNegated;
    }

    private bool MatchesResource(string resource, RequestContext context)
    {
        var resources = Statement.Resources;
        if (resources is null)
        {
            // A resource-based policy statement without Resource applies to the resource it is attached to.
            return true;
        }
        foreach (var pattern in resources.Patterns)
        {
            switch (PatternMatches(pattern, resource, context))
            {
                case PatternResult.Match:
                    return !resources.IsNegated;
                case PatternResult.Unresolved when resources.IsNegated:
                    // AWS: a variable it cannot resolve can make the whole statement invalid. For NotResource the only
                    // safe reading is that the statement does not apply (it cannot tell which resources are excluded).
                    return false;
            }
        }
        return resources.IsNegated;
    }

    private enum PatternResult
    {
        NoMatch,
        Match,
        Unresolved,
        Unknown,
    }

    private PatternResult PatternMatches(string pattern, string resource, RequestContext context)
    {
        if (_resourcesHaveVariables && PolicyVariables.ContainsVariable(pattern))
        {
            // An entry whose variable has no value (and no default) is undecided when the rest of the ARN matches (the
            // variable's segment decides); when another segment already differs (another service, account or region),
            // the variable is irrelevant and the entry simply does not match.
            if (!PolicyVariables.TrySubstitute(pattern, context, asWildcardPattern: true, out var substituted))
            {
                return ResourceMatcher.SegmentsWithoutVariablesMatch(pattern, resource) ? PatternResult.Unresolved : PatternResult.NoMatch;
            }
            return ResourceMatcher.IsMatch(substituted, resource) ? PatternResult.Match : PatternResult.NoMatch;
        }
        return ResourceMatcher.IsMatch(pattern, resource) ? PatternResult.Match : PatternResult.NoMatch;
    }

    private bool ConditionsHold(RequestContext context)
    {
        foreach (var clause in Statement.Conditions)
        {
            if (!ConditionEvaluator.Holds(clause, context, PolicyVariablesEnabled))
            {
                return false;
            }
        }
        return true;
    }
}
