using System.CommandLine;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary><c>rules [ID] [--markdown]</c>: the audit rules, or one rule's documentation.</summary>
internal static class RulesCommand
{
    public static Command Create(TextWriter stdout)
    {
        var id = new Argument<string?>("id") { Description = "A rule ID, e.g. ERA021, to print its documentation.", Arity = ArgumentArity.ZeroOrOne };
        var markdown = new Option<bool>("--markdown") { Description = "Print the full rules reference as Markdown (docs/rules.md)." };
        var command = new Command("rules", "List the audit rules, or print one rule's documentation.") { id, markdown };
        command.SetAction(result =>
        {
            if (result.GetValue(markdown))
            {
                stdout.Write(RuleDocumentation.Markdown(RuleCatalog.All));
                return CommandLineApp.ExitSuccess;
            }
            if (result.GetValue(id) is { } ruleId)
            {
                var rule = RuleCatalog.Find(ruleId)
                    ?? throw new UsageException($"no rule {ruleId}; 'ecs-role-auditor rules' lists them");
                stdout.Write(RuleDocumentation.ForRule(rule));
                return CommandLineApp.ExitSuccess;
            }
            var width = RuleCatalog.All.Max(r => r.Descriptor.DefaultSeverity.Name().Length);
            foreach (var rule in RuleCatalog.All)
            {
                stdout.WriteLine($"{rule.Descriptor.Id}  {rule.Descriptor.DefaultSeverity.Name().PadRight(width)}  {rule.Descriptor.Title}");
            }
            return CommandLineApp.ExitSuccess;
        });
        return command;
    }
}
