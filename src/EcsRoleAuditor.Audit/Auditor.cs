using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Audit.Suppressions;
using EcsRoleAuditor.Policy.Catalog;

namespace EcsRoleAuditor.Audit;

/// <summary>
/// Audits task definitions: resolves the two roles (once each), derives what the task definition needs, runs every
/// rule, applies suppressions and orders the findings, most severe first. A rule that fails does not end the audit: it
/// becomes an "audit incomplete" finding (ERA005), never a silent pass.
/// </summary>
public sealed class Auditor
{
    private readonly IReadOnlyList<IAuditRule> _rules;
    private readonly IReadOnlyList<Suppression> _suppressions;
    private readonly ActionCatalog _catalog;

    /// <summary>An auditor running the given rules with the given configured suppressions.</summary>
    public Auditor(IReadOnlyList<IAuditRule> rules, IReadOnlyList<Suppression> suppressions, ActionCatalog? catalog = null)
    {
        _rules = rules;
        _suppressions = suppressions;
        _catalog = catalog ?? ActionCatalog.Default;
    }

    /// <summary>The action catalog the rules expand patterns with.</summary>
    public ActionCatalog Catalog => _catalog;

    /// <summary>An auditor running every rule, with no configured suppression.</summary>
    public static Auditor WithAllRules(IReadOnlyList<Suppression>? suppressions = null) => new(RuleCatalog.All, suppressions ?? []);

    /// <summary>Audits one task definition against the roles the directory holds.</summary>
    public async Task<TaskDefinitionReport> AuditAsync(TaskDefinition definition, IRoleDirectory roles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(roles);
        // Both lookups start before either is awaited: against IAM the two roles' reads then overlap.
        var taskLookup = definition.TaskRoleArn is { } task ? roles.FindAsync(task, cancellationToken).AsTask() : null;
        var executionLookup = definition.ExecutionRoleArn is { } execution
            ? string.Equals(execution, definition.TaskRoleArn, StringComparison.Ordinal) ? taskLookup : roles.FindAsync(execution, cancellationToken).AsTask()
            : null;
        var taskRole = taskLookup is null ? null : await taskLookup.ConfigureAwait(false);
        var executionRole = executionLookup is null ? null : await executionLookup.ConfigureAwait(false);
        return Audit(new AuditContext(definition, taskRole, executionRole, _catalog));
    }

    /// <summary>Runs the rules over a prepared context.</summary>
    public TaskDefinitionReport Audit(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var findings = new List<Finding>();
        foreach (var rule in _rules)
        {
            try
            {
                findings.AddRange(rule.Evaluate(context));
            }
#pragma warning disable CA1031 // a failing rule must not end the audit: it is reported as an incomplete audit instead
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                findings.Add(IncompleteAuditRule.ForTaskDefinition(context.TaskDefinition.DisplayName,
                    $"The audit is incomplete: rule {rule.Descriptor.Id} failed ({e.GetType().Name}: {e.Message}).",
                    "Report this as a bug of ecs-role-auditor, with the task definition and roles if you can share them."));
            }
        }
        var rolesByArn = new Dictionary<string, Role>(StringComparer.OrdinalIgnoreCase);
        foreach (var audited in context.FoundRoles)
        {
            rolesByArn.TryAdd(audited.Role.Arn, audited.Role);
        }
        var ordered = SuppressionRules.Apply(findings, context.TaskDefinition, rolesByArn, _suppressions).Order(ReportOrder);
        var definition = context.TaskDefinition;
        return new TaskDefinitionReport(definition.Arn, definition.Family, definition.Revision, definition.TaskRoleArn, definition.ExecutionRoleArn, [.. ordered])
        {
            ExecutionNeedsKnown = definition.NeedsKnown(RoleSlot.Execution),
        };
    }

    // The report's order: most severe first, then rule, role slot and source; stable, so equal keys keep rule order.
    // One comparer rather than an OrderBy/ThenBy chain: under Native AOT each ThenBy with a new key type is a generic
    // virtual call resolved and instantiated at run time on first use, a cost every Lambda cold start paid (perf, docs/benchmarks.md).
    private static readonly Comparer<Finding> ReportOrder = Comparer<Finding>.Create((a, b) =>
    {
        var bySeverity = ((int)b.Severity).CompareTo((int)a.Severity);
        if (bySeverity != 0)
        {
            return bySeverity;
        }
        var byRule = string.CompareOrdinal(a.RuleId, b.RuleId);
        if (byRule != 0)
        {
            return byRule;
        }
        var bySlot = ((int)a.RoleSlot).CompareTo((int)b.RoleSlot);
        return bySlot != 0 ? bySlot : string.CompareOrdinal(a.Source.ToString(), b.Source.ToString());
    });
}
