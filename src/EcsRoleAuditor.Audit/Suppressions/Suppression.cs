using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Policy.Matching;

namespace EcsRoleAuditor.Audit.Suppressions;

/// <summary>
/// A configured suppression: a rule and, optionally, a role ARN pattern and a task definition family pattern
/// (<c>*</c> and <c>?</c> wildcards), with the reason people gave.
/// </summary>
/// <param name="Rule">The rule, resolved from the ID the configuration names.</param>
/// <param name="RolePattern">Role ARNs it covers; null for any role.</param>
/// <param name="FamilyPattern">Task definition families it covers; null for any family.</param>
/// <param name="Reason">Why the finding is accepted.</param>
public sealed record Suppression(RuleDescriptor Rule, string? RolePattern, string? FamilyPattern, string Reason)
{
    /// <summary>True when the suppression covers the finding of the task definition.</summary>
    public bool Covers(Finding finding, TaskDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(definition);
        return finding.Rule == Rule
            && (RolePattern is null || (finding.RoleArn is { } arn && Wildcard.IsMatch(RolePattern, arn, ignoreCase: false)))
            && (FamilyPattern is null || Wildcard.IsMatch(FamilyPattern, definition.Family, ignoreCase: false));
    }
}

/// <summary>
/// Marks suppressed findings (they stay in the report, with the reason): the tag <c>ecs-role-auditor:suppress</c> on the
/// role or the task definition, holding comma-separated rule IDs, each optionally <c>ID:reason</c>, and configured
/// <see cref="Suppression"/>s.
/// </summary>
public static class SuppressionRules
{
    /// <summary>The tag key people put on roles and task definitions.</summary>
    public const string TagKey = "ecs-role-auditor:suppress";

    /// <summary>
    /// Parses a tag value: <c>ERA012, ERA030:shared with the batch job</c>. An ID that names no rule is skipped: the tag
    /// is written in AWS, where nothing can refuse it, and it never matched a finding.
    /// </summary>
    public static ImmutableArray<(RuleDescriptor Rule, string? Reason)> ParseTag(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parsed = ImmutableArray.CreateBuilder<(RuleDescriptor, string?)>();
        foreach (var entry in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (ruleId, reason) = ParseTagEntry(entry);
            if (RuleCatalog.Find(ruleId) is { } rule)
            {
                parsed.Add((rule.Descriptor, reason));
            }
        }
        return parsed.ToImmutable();
    }

    // "ERA030:shared with the batch job": the rule ID, then the reason after the first colon (the reason may hold colons).
    private static (string RuleId, string? Reason) ParseTagEntry(string entry)
    {
        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return (entry, null);
        }
        var reason = entry[(colon + 1)..].Trim();
        return (entry[..colon].Trim(), reason.Length > 0 ? reason : null);
    }

    /// <summary>The findings with suppressions applied.</summary>
    public static ImmutableArray<Finding> Apply(IEnumerable<Finding> findings, TaskDefinition definition, IReadOnlyDictionary<string, Role> rolesByArn, IReadOnlyList<Suppression> configured)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(rolesByArn);
        ArgumentNullException.ThrowIfNull(configured);
        var definitionTag = TagSuppressions(definition.Tags, $"tag {TagKey} on task definition {definition.DisplayName}");
        var applied = ImmutableArray.CreateBuilder<Finding>();
        foreach (var finding in findings)
        {
            var roleTag = finding.RoleArn is { } arn && rolesByArn.TryGetValue(arn, out var role)
                ? TagSuppressions(role.Tags, $"tag {TagKey} on role {role.Name}")
                : [];
            var reason = TagReason(roleTag, finding) ?? TagReason(definitionTag, finding) ?? ConfiguredReason(configured, finding, definition);
            applied.Add(reason is null ? finding : finding with { Suppressed = true, SuppressionReason = reason });
        }
        return applied.ToImmutable();
    }

    // Loops rather than a Concat/Where/Select chain: this runs for every finding of every audit, and under Native AOT
    // each Select after another operator is a generic virtual call instantiated at run time on first use (perf showed
    // it in the Lambda's cold start; docs/benchmarks.md).
    private static string? TagReason(ImmutableArray<(RuleDescriptor Rule, string Reason)> tagged, Finding finding)
    {
        foreach (var (rule, reason) in tagged)
        {
            if (rule == finding.Rule)
            {
                return reason;
            }
        }
        return null;
    }

    private static string? ConfiguredReason(IReadOnlyList<Suppression> configured, Finding finding, TaskDefinition definition)
    {
        foreach (var suppression in configured)
        {
            if (suppression.Covers(finding, definition))
            {
                return $"configured suppression: {suppression.Reason}";
            }
        }
        return null;
    }

    private static ImmutableArray<(RuleDescriptor Rule, string Reason)> TagSuppressions(ImmutableDictionary<string, string> tags, string where) =>
        tags.TryGetValue(TagKey, out var value)
            ? [.. ParseTag(value).Select(s => (s.Rule, s.Reason is null ? where : $"{where}: {s.Reason}"))]
            : [];
}
