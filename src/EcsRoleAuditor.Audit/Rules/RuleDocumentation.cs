using System.Text;
using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>Writes docs/rules.md from the rules' own metadata and examples (a test keeps the committed file in sync).</summary>
public static class RuleDocumentation
{
    /// <summary>The Markdown reference of the rules.</summary>
    public static string Markdown(IEnumerable<IAuditRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var list = rules.ToList();
        var text = new StringBuilder();
        text.AppendLine("# Rules").AppendLine();
        text.AppendLine("<!-- Generated from the rules' metadata by `ecs-role-auditor rules --markdown`; do not edit by hand. -->").AppendLine();
        text.AppendLine("Rule IDs are stable: a rule never changes meaning and a retired rule keeps its ID reserved. Suppress a rule with the tag")
            .AppendLine("`ecs-role-auditor:suppress` (comma-separated IDs, each optionally `ID:reason`) on the role or the task definition.").AppendLine();
        text.AppendLine("| ID | Severity | Title |").AppendLine("|---|---|---|");
        foreach (var rule in list)
        {
            text.AppendLine($"| [{rule.Descriptor.Id}](#{rule.Descriptor.Id.ToLowerInvariant()}) | {rule.Descriptor.DefaultSeverity.Name()} | {rule.Descriptor.Title} |");
        }
        foreach (var rule in list)
        {
            text.AppendLine().Append(ForRule(rule));
        }
        return text.ToString();
    }

    /// <summary>The documentation of one rule, as <c>ecs-role-auditor rules ID</c> prints it.</summary>
    public static string ForRule(IAuditRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var d = rule.Descriptor;
        var text = new StringBuilder();
        text.AppendLine($"## {d.Id}").AppendLine();
        text.AppendLine($"**{d.Title}** — default severity {d.DefaultSeverity.Name()}").AppendLine();
        text.AppendLine($"Why it matters: {d.Rationale}").AppendLine();
        text.AppendLine($"How to fix it: {d.Remediation}").AppendLine();
        text.AppendLine($"Flagged: {rule.Examples.Bad.Description}").AppendLine();
        text.AppendLine("```json").AppendLine(rule.Examples.Bad.ScenarioJson.Trim()).AppendLine("```").AppendLine();
        text.AppendLine($"Passes: {rule.Examples.Good.Description}").AppendLine();
        text.AppendLine("```json").AppendLine(rule.Examples.Good.ScenarioJson.Trim()).AppendLine("```").AppendLine();
        text.AppendLine("References: " + string.Join(", ", d.Links.Select(l => $"<{l}>")));
        return text.ToString();
    }
}
