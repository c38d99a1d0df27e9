using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Audit.Findings;

/// <summary>The audit of one task definition: its identity, its two roles and the findings.</summary>
/// <param name="TaskDefinitionArn">The task definition ARN, when known.</param>
/// <param name="Family">The family.</param>
/// <param name="Revision">The revision, when known.</param>
/// <param name="TaskRoleArn">The task role as the task definition names it (ARN or bare name), or null.</param>
/// <param name="ExecutionRoleArn">The execution role as the task definition names it (ARN or bare name), or null.</param>
/// <param name="Findings">The findings, most severe first; suppressed ones included and marked.</param>
public sealed record TaskDefinitionReport(
    string? TaskDefinitionArn,
    string Family,
    int? Revision,
    string? TaskRoleArn,
    string? ExecutionRoleArn,
    ImmutableArray<Finding> Findings)
{
    /// <summary><c>family:revision</c>, or the family alone.</summary>
    public string DisplayName => Revision is { } revision ? $"{Family}:{revision}" : Family;

    /// <summary>
    /// False when the input leaves unknown what the task definition needs of its execution role (its containers): no
    /// execution role can be written for it, so reports do not name <c>fix</c>.
    /// </summary>
    public bool ExecutionNeedsKnown { get; init; } = true;

    /// <summary>The findings that are not suppressed.</summary>
    public IEnumerable<Finding> ActiveFindings => Findings.Where(f => !f.Suppressed);

    /// <summary>The highest severity among the active findings, or null when there is none.</summary>
    public Severity? HighestSeverity => ActiveFindings.Select(f => (Severity?)f.Severity).Max();

    /// <summary>
    /// True when an active finding says something could not be read (<see cref="RuleDescriptor.MarksAuditIncomplete"/>):
    /// the report means "not checked", never "clean". A suppressed one is a gap someone accepted, so it does not count.
    /// </summary>
    public bool IsIncomplete => ActiveFindings.Any(f => f.Rule.MarksAuditIncomplete);
}

/// <summary>The result of an audit run: one report per task definition, in input order.</summary>
public sealed record AuditReport(ImmutableArray<TaskDefinitionReport> Reports);
