using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary>The exit codes of an audit, documented in the README.</summary>
internal static class ExitCodes
{
    /// <summary>Findings at or above <c>--fail-on</c> (default: <c>--min-severity</c>) that are not suppressed.</summary>
    public const int Findings = 1;

    /// <summary>The audit is incomplete (ERA005, ERA047): something could not be read, so a clean result cannot be claimed, whatever <c>--fail-on</c> says.</summary>
    public const int Incomplete = 3;

    /// <summary><c>event</c>: the handler failed (an SNS publish failed, a bug); in Lambda the invocation fails and is retried.</summary>
    public const int InvocationFailed = 4;

    /// <summary>The exit code for the reports; an incomplete audit is also said on standard error.</summary>
    public static int For(IReadOnlyList<TaskDefinitionReport> reports, Severity failOn, TextWriter stderr)
    {
        var incomplete = reports.Where(r => r.IsIncomplete).Select(r => r.DisplayName).ToList();
        if (incomplete.Count > 0)
        {
            stderr.WriteLine($"ecs-role-auditor: audit incomplete for {string.Join(", ", incomplete)}: some roles, policies or task definition fields could not be read (see the ERA005/ERA047 findings)");
            return Incomplete;
        }
        return reports.SelectMany(r => r.ActiveFindings).Any(f => f.Severity >= failOn) ? Findings : CommandLineApp.ExitSuccess;
    }
}
