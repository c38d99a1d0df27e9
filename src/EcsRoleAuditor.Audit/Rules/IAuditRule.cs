using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>
/// One rule of the role-responsibility audit: its documentation (<see cref="Descriptor"/>), a bad and a good example
/// that are also its tests, and its logic. One rule per file; rules hold no state.
/// </summary>
public interface IAuditRule
{
    /// <summary>ID, title, severity, rationale, remediation, links.</summary>
    RuleDescriptor Descriptor { get; }

    /// <summary>A scenario the rule must flag and one it must pass, as scenario JSON.</summary>
    RuleExamples Examples { get; }

    /// <summary>The findings for one audited task definition.</summary>
    IEnumerable<Finding> Evaluate(AuditContext context);
}

/// <summary>
/// A rule's two examples, written in the scenario format (described by the tests' reader, tests/EcsRoleAuditor.TestData/Scenarios):
/// the first must produce at least one finding of the rule, the second none. docs/rules.md prints them as they are.
/// </summary>
/// <param name="Bad">What the rule flags, and why, as a scenario.</param>
/// <param name="Good">The fixed version, as a scenario.</param>
public sealed record RuleExamples(RuleExample Bad, RuleExample Good);

/// <summary>One example: a sentence and a scenario.</summary>
/// <param name="Description">What the example shows.</param>
/// <param name="ScenarioJson">The scenario: a task definition and the roles it names.</param>
public sealed record RuleExample(string Description, string ScenarioJson);
