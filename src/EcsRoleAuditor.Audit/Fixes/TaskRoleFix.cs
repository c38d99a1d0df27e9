using System.Collections.Immutable;
using System.Globalization;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;

namespace EcsRoleAuditor.Audit.Fixes;

/// <summary>What to do with one policy of the current task role.</summary>
public enum PolicyFixKind
{
    /// <summary>Replace the inline policy, or the customer managed policy's default version, by <see cref="PolicyFix.PolicyJson"/>.</summary>
    Rewrite,
    /// <summary>Every statement goes: delete the inline policy, or detach the customer managed policy.</summary>
    Delete,
    /// <summary>Detach the AWS managed policy: nobody but AWS can edit it.</summary>
    Detach,
}

/// <summary>One policy of the current task role the fix changes.</summary>
/// <param name="Kind">Rewrite, delete or detach.</param>
/// <param name="Policy">The policy as findings name it (inline name, managed policy ARN).</param>
/// <param name="CurrentJson">The current document as compact JSON in IAM's element order.</param>
/// <param name="PolicyJson">The rewritten document (compact JSON, the same order); null unless <see cref="PolicyFixKind.Rewrite"/>.</param>
/// <param name="Reason">Why, in a sentence (the findings' messages for a detached policy).</param>
public sealed record PolicyFix(PolicyFixKind Kind, FindingSource Policy, string CurrentJson, string? PolicyJson, string Reason);

/// <summary>Actions taken out of one statement of the current task role, and where they go.</summary>
/// <param name="Policy">The policy the statement is in.</param>
/// <param name="Statement">The statement's Sid, or <c>#index</c>.</param>
/// <param name="Actions">The actions taken out (as the findings expand them).</param>
/// <param name="Destination"><see cref="TaskRoleFix.MovedToExecutionRole"/> or <see cref="TaskRoleFix.RemovedControlPlane"/>.</param>
/// <param name="WholeStatement">True when the statement is gone; false when the rest of it stays.</param>
public sealed record MovedStatement(FindingSource Policy, string Statement, ImmutableArray<string> Actions, string Destination, bool WholeStatement);

/// <summary>
/// The current task role without what belongs to the execution role (ERA030) or to ECS's service-linked role (ERA031).
/// What to take out comes from those rules' findings on the task role, audited with the written execution role in place
/// (so a role shared by both slots gets them too): each finding names the statement (<see cref="ProposedChange"/>) and the
/// actions. Statements are split, not dropped whole: only the offending actions go. Inline and customer managed policies
/// are rewritten; an AWS managed policy cannot be edited (IAM User Guide, "Managed policies and inline policies"), so it
/// is detached. Permission boundaries are left as they are.
/// </summary>
/// <param name="RoleArn">The task role.</param>
/// <param name="Policies">The policies changed, in the role's order.</param>
/// <param name="Moved">What was taken out of which statement.</param>
/// <param name="Notes">What a reader must know or decide, one sentence each.</param>
public sealed record TaskRoleFix(string RoleArn, ImmutableArray<PolicyFix> Policies, ImmutableArray<MovedStatement> Moved, ImmutableArray<string> Notes)
{
    /// <summary>Where ECR pull and the execution policy go (Amazon ECS Developer Guide, "Amazon ECS task execution IAM role").</summary>
    public const string MovedToExecutionRole = "moved to the execution role";

    /// <summary>Where control-plane actions go: nowhere a task reaches (Amazon ECS Developer Guide, "Using service-linked roles for Amazon ECS").</summary>
    public const string RemovedControlPlane = "removed: ECS control plane";

    // A wildcard is replaced by the catalog's actions it matches (less the removed ones) up to this many; beyond, the
    // policy would be mostly one list and the wildcard is left for a person to narrow.
    private const int MaxExpansion = 40;

    /// <summary>The rules whose findings say what leaves the task role, by descriptor.</summary>
    public static ImmutableArray<RuleDescriptor> Rules { get; } = [ExecutionPermissionsOnTaskRoleRule.Rule, ControlPlanePowersRule.Rule];

    /// <summary>The fix of <paramref name="current"/> from the active findings of an audit with the written execution role.</summary>
    public static TaskRoleFix For(Role current, IEnumerable<Finding> findings, ActionCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(catalog);
        var notes = new List<string>();
        var relevant = findings
            .Where(f => Rules.Contains(f.Rule) && string.Equals(f.RoleArn, current.Arn, StringComparison.OrdinalIgnoreCase))
            .ToList();
        foreach (var kept in relevant.Where(f => f.Suppressed))
        {
            notes.Add($"{kept.RuleId} on {kept.Source}{StatementSuffix(kept.Statement)} is suppressed ({kept.SuppressionReason}): left as it is.");
        }
        var detached = new Dictionary<RolePolicy, List<Finding>>();
        var edits = new Dictionary<(RolePolicy Policy, string Statement), List<Finding>>();
        foreach (var finding in relevant.Where(f => !f.Suppressed))
        {
            foreach (var change in finding.Changes)
            {
                var policy = change.Policy is { } source ? current.Policies.FirstOrDefault(p => SameSource(p.Source, source)) : null;
                switch (change.Kind)
                {
                    case ChangeKind.DetachPolicy when policy is not null:
                        Add(detached, policy, finding);
                        break;
                    case ChangeKind.EditStatement or ChangeKind.RemoveStatement when policy is not null && change.Statement is { } statement:
                        Add(edits, (policy, statement), finding);
                        break;
                    case ChangeKind.EditBoundary:
                        notes.Add($"{finding.RuleId}: the permission boundary {change.Policy?.Arn ?? change.Policy?.Name} also allows {FindingFactory.Summarise([.. finding.Actions])}; "
                            + "boundaries are not changed by fix (they only limit what the identity policies grant).");
                        break;
                }
            }
        }
        var fixes = new List<PolicyFix>();
        var moved = new List<MovedStatement>();
        foreach (var policy in current.Policies)
        {
            if (detached.TryGetValue(policy, out var reasons))
            {
                fixes.Add(new PolicyFix(PolicyFixKind.Detach, policy.Source, DocumentJson(policy.Document, policy.Document.Statements), null,
                    $"{policy.Source.Name} is an AWS managed policy, which cannot be edited: " + string.Join(" ", reasons.Select(r => r.Message).Distinct(StringComparer.Ordinal))));
                foreach (var finding in reasons)
                {
                    moved.Add(new MovedStatement(policy.Source, finding.Statement ?? "*", finding.Actions, Destination(finding), WholeStatement: true));
                }
                if (!PlacementPolicyText.IsTaskExecutionRolePolicyArn(policy.Source.Arn))
                {
                    notes.Add($"Detaching {policy.Source.Name} also takes away what else it grants: if the application needs some of it, attach a customer managed policy with just that.");
                }
                continue;
            }
            var policyEdits = edits.Where(e => e.Key.Policy == policy).ToList();
            if (policyEdits.Count == 0)
            {
                continue;
            }
            if (policy.Source.IsAwsManagedPolicy)
            {
                continue; // every change to an AWS managed policy is a detach (PlacementPolicyText.EditStatement)
            }
            var statements = new List<Statement>();
            foreach (var statement in policy.Document.Statements)
            {
                var hits = policyEdits.Where(e => e.Key.Statement == statement.Label).SelectMany(e => e.Value).ToList();
                if (hits.Count == 0 || statement.Effect != Effect.Allow || statement.Actions is null)
                {
                    statements.Add(statement);
                    continue;
                }
                var split = Split(statement, hits, catalog, policy.Source, notes);
                if (split is not null)
                {
                    statements.Add(split);
                }
                foreach (var byRule in hits.GroupBy(h => h.Rule))
                {
                    moved.Add(new MovedStatement(policy.Source, statement.Label,
                        [.. byRule.SelectMany(h => h.Actions).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)],
                        Destination(byRule.First()), WholeStatement: split is null));
                }
            }
            var currentJson = DocumentJson(policy.Document, policy.Document.Statements);
            fixes.Add(statements.Count == 0
                ? new PolicyFix(PolicyFixKind.Delete, policy.Source, currentJson, null,
                    policy.Source.Kind == SourceKind.InlinePolicy
                        ? $"Every statement of inline policy {policy.Source.Name} leaves the task role: delete the policy."
                        : $"Every statement of {policy.Source.Name} leaves the task role: detach it (and delete it if nothing else uses it).")
                : new PolicyFix(PolicyFixKind.Rewrite, policy.Source, currentJson, DocumentJson(policy.Document, Renumbered(statements)),
                    policy.Source.Kind == SourceKind.InlinePolicy
                        ? $"Replace inline policy {policy.Source.Name} with this document."
                        : $"Create a new default version of {policy.Source.Name} with this document (a customer managed policy keeps at most five versions)."));
        }
        if (moved.Any(m => m.Destination == MovedToExecutionRole))
        {
            notes.Add("The execution-plane permissions taken off the task role are in the execution role written above, on the exact resources the task definition needs.");
        }
        return new TaskRoleFix(current.Arn, [.. fixes], [.. moved], [.. notes.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>The current role with this fix applied: rewritten documents parsed from the JSON as written, deleted and detached policies gone; trust and boundary as they are.</summary>
    public Role Apply(Role current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var policies = new List<RolePolicy>();
        foreach (var policy in current.Policies)
        {
            var fix = Policies.FirstOrDefault(f => SameSource(f.Policy, policy.Source));
            if (fix is null)
            {
                policies.Add(policy);
            }
            else if (fix is { Kind: PolicyFixKind.Rewrite, PolicyJson: { } json })
            {
                policies.Add(policy with { Document = PolicyParser.Parse(json, policy.Document.Name, PolicyKind.Identity) });
            }
        }
        return current with { Policies = [.. policies] };
    }

    private static string Destination(Finding finding) =>
        finding.Rule == ControlPlanePowersRule.Rule ? RemovedControlPlane : MovedToExecutionRole;

    private static string StatementSuffix(string? statement) => statement is null ? "" : $", statement {statement}";

    private static void Add<TKey>(Dictionary<TKey, List<Finding>> map, TKey key, Finding finding)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }
        list.Add(finding);
    }

    private static bool SameSource(FindingSource a, FindingSource b) =>
        a.Kind == b.Kind && string.Equals(a.Name, b.Name, StringComparison.Ordinal) && string.Equals(a.Arn, b.Arn, StringComparison.Ordinal);

    /// <summary>
    /// The statement without the findings' actions; null when nothing of it is left. An exact action is dropped; a
    /// NotAction list gains the actions (exact: the statement then grants everything it did but them); a wildcard that
    /// matches one is replaced by the catalog's other actions it matches when they are few, and otherwise kept, with a note
    /// that it still grants them: no list can stand for it exactly.
    /// </summary>
    private static Statement? Split(Statement statement, List<Finding> hits, ActionCatalog catalog, FindingSource policy, List<string> notes)
    {
        var actions = statement.Actions!;
        var removed = PlacementPolicyText.ToActionSet(catalog, hits.SelectMany(h => h.Actions));
        var where = $"{policy}, statement {statement.Label}";
        if (actions.IsNegated)
        {
            var excluded = PlacementPolicyText.ToActionSet(catalog, actions.Patterns);
            var added = removed.Actions.Where(a => !excluded.Contains(a.Id)).Select(a => a.FullName).Order(StringComparer.Ordinal).ToList();
            notes.Add($"{where} allows every action but its NotAction list: the removed actions are added to that list ({FindingFactory.Summarise(added)}); it still allows everything else.");
            return statement with { Actions = actions with { Patterns = [.. actions.Patterns, .. added] } };
        }
        var kept = new List<string>();
        foreach (var pattern in actions.Patterns)
        {
            var matched = catalog.Expand(pattern);
            if (!matched.Overlaps(removed))
            {
                kept.Add(pattern);
                continue;
            }
            if (!pattern.Contains('*', StringComparison.Ordinal) && !pattern.Contains('?', StringComparison.Ordinal))
            {
                continue; // the action itself goes
            }
            var rest = matched.Clone();
            rest.ExceptWith(removed);
            var service = pattern.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? pattern[..colon] : null;
            if (service is not null && !service.Contains('*', StringComparison.Ordinal) && !service.Contains('?', StringComparison.Ordinal) && rest.Count <= MaxExpansion)
            {
                var names = BreadthAnalysis.Names(rest).Order(StringComparer.Ordinal).ToList();
                kept.AddRange(names);
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{where}: {pattern} is replaced by the {FindingFactory.Count(names.Count, "action")} it matches in the action catalog of {catalog.DataDate:yyyy-MM-dd} less the removed ones; actions AWS adds to {service} later are no longer granted."));
                continue;
            }
            kept.Add(pattern);
            var still = removed.Clone();
            still.IntersectWith(matched);
            notes.Add($"{where}: {pattern} cannot be narrowed exactly (it matches {FindingFactory.Count(matched.Count, "action")}), so it still grants "
                + $"{FindingFactory.Summarise(BreadthAnalysis.Names(still))}: replace it by the actions the application calls.");
        }
        return kept.Count == 0 ? null : statement with { Actions = actions with { Patterns = [.. kept] } };
    }

    // Statement indexes as they will be after the rewrite, so labels of statements without a Sid stay meaningful.
    private static List<Statement> Renumbered(List<Statement> statements) =>
        [.. statements.Select((s, i) => s with { Index = i, Path = $"$.Statement[{i}]" })];

    private static string DocumentJson(PolicyDocument document, IEnumerable<Statement> statements) =>
        PlacementPolicyText.PolicyJson(document.Version, document.Id, statements);
}
