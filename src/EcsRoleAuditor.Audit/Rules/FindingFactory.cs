using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Policy.Effective;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>Shorthands rules use to create findings from their descriptor.</summary>
public static class FindingFactory
{
    /// <summary>A finding of the rule, at its default severity, about a role's statement.</summary>
    public static Finding For(this RuleDescriptor rule, AuditedRole role, Grant grant, string message, string remediation, IEnumerable<string>? actions = null)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(grant);
        return new Finding
        {
            Rule = rule,
            Severity = rule.DefaultSeverity,
            RoleArn = role.Role.Arn,
            RoleSlot = role.Slot,
            Source = role.SourceOf(grant.Source),
            Statement = grant.Source.Statement.Label,
            Actions = actions is null ? [] : [.. actions],
            Resources = grant.Resources?.Patterns ?? ["*"],
            Conditional = grant.IsConditional ? ConditionText(grant) : null,
            Message = message,
            Remediation = remediation,
        };
    }

    /// <summary>A finding of the rule, at its default severity, about something other than a statement.</summary>
    public static Finding For(this RuleDescriptor rule, string? roleArn, RoleSlot slot, FindingSource source, string message, string remediation) =>
        new()
        {
            Rule = rule,
            Severity = rule.DefaultSeverity,
            RoleArn = roleArn,
            RoleSlot = slot,
            Source = source,
            Message = message,
            Remediation = remediation,
        };

    /// <summary>The statement's conditions as one line, e.g. <c>StringEquals aws:SourceAccount=111122223333</c>.</summary>
    public static string ConditionText(Grant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return ClauseText(grant.Conditions);
    }

    /// <summary>
    /// When a Deny the audit cannot decide applies: "when" its conditions, and "depending on" the context keys its resource
    /// entries name as policy variables (an entry whose variable has no value matches nothing).
    /// </summary>
    public static string DenyApplicability(Grant deny)
    {
        ArgumentNullException.ThrowIfNull(deny);
        var keys = deny.ResourceVariableKeys.ToList();
        var when = deny.IsConditional ? $"when {ConditionText(deny)}" : null;
        var depending = keys.Count > 0 ? $"depending on the value of {string.Join(" and ", keys)}" : null;
        return string.Join(", and ", new[] { when, depending }.OfType<string>());
    }

    /// <summary>Condition clauses as one line (all must hold): <c>StringEquals aws:SourceAccount=111122223333; Bool aws:SecureTransport=true</c>.</summary>
    public static string ClauseText(IEnumerable<ConditionClause> clauses) =>
        string.Join("; ", clauses.Select(c => $"{c.OperatorText} {c.Key}={string.Join("|", c.Values)}"));

    /// <summary>
    /// For a finding about what a role's statements allow: when some policy of the role could not be read, a clause saying
    /// the finding holds unless that policy denies it (an unread policy may hold a Deny); empty otherwise.
    /// </summary>
    public static string UnreadPoliciesMayDeny(AuditedRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
        var unread = role.UnreadPolicies.ToList();
        return unread.Count == 0 ? "" : $", unless the {string.Join(" or the ", unread)}, which the audit could not read, denies it";
    }

    /// <summary>"1 action", "3 actions": a count with its noun, singular when it is one.</summary>
    public static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count:N0} {noun}s";

    /// <summary>The severity one level lower (for grants that hold only under a condition), never below INFO.</summary>
    public static Severity OneLower(this Severity severity) => severity == Severity.Info ? Severity.Info : severity - 1;

    /// <summary>The first few items and a count of the rest, for messages.</summary>
    public static string Summarise(IReadOnlyCollection<string> items, int shown = 5) =>
        items.Count <= shown ? string.Join(", ", items) : $"{string.Join(", ", items.Take(shown))} and {items.Count - shown:N0} more";

    /// <summary>An empty array, for rules that produce no finding.</summary>
    public static ImmutableArray<Finding> None => [];
}
