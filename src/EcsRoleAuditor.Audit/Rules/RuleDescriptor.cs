using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>
/// What a rule is, for people and tools: a stable ID that never changes meaning, title, default severity, why it
/// matters, how to fix it, and links to AWS documentation. The rule's logic is separate (see <c>IAuditRule</c>).
/// </summary>
/// <param name="Id">The stable ID, e.g. <c>ERA021</c>; a retired rule keeps its ID reserved.</param>
/// <param name="Title">A short title, e.g. <c>Execution role cannot do what the task definition needs</c>.</param>
/// <param name="DefaultSeverity">The severity findings get unless the rule raises or lowers it.</param>
/// <param name="Rationale">Why it matters, in a few sentences.</param>
/// <param name="Remediation">How to fix it, in general terms (findings carry the concrete fix).</param>
/// <param name="Links">AWS documentation.</param>
public sealed record RuleDescriptor(string Id, string Title, Severity DefaultSeverity, string Rationale, string Remediation, ImmutableArray<string> Links)
{
    /// <summary>
    /// True for a rule whose findings say the audit could not read something: such a finding means "not checked", never
    /// "clean", so it makes the audit incomplete (exit code 3, the AuditIncomplete metric) whatever severity threshold a
    /// report or alert uses.
    /// </summary>
    public bool MarksAuditIncomplete { get; init; }

    /// <summary>
    /// Where a reader learns how to fix the rule's findings: its first link, or null when it has none. SARIF's
    /// <c>helpUri</c> and ASFF's <c>Remediation.Recommendation.Url</c> both print this one.
    /// </summary>
    public string? HelpUri => Links.IsDefaultOrEmpty ? null : Links[0];

    /// <summary>The ID: a finding or a test failure prints the rule as <c>ERA021</c>, not its whole documentation.</summary>
    public override string ToString() => Id;
}
