using System.CommandLine;
using EcsRoleAuditor.Cli.Commands;

namespace EcsRoleAuditor.Cli;

/// <summary>The <c>ecs-role-auditor</c> command line: parses arguments, runs one command, maps failures to exit codes.</summary>
internal static class CommandLineApp
{
    public const int ExitSuccess = 0;

    /// <summary>Bad usage or unreadable input; a one-line reason went to standard error. (1 and 3 are the audit's: see <see cref="ExitCodes"/>.)</summary>
    public const int ExitUsage = 2;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        // Messages quote arguments, file names and names from input: none may reach the terminal raw.
        stderr = new EscapingTextWriter(stderr);

        var root = new RootCommand("Audits the IAM roles of Amazon ECS task definitions: task role, execution role and the ECS service-linked role.")
        {
            AuditCommand.CreateAudit(stdout, stderr),
            AuditCommand.CreateDemo(stdout, stderr),
            FixCommand.Create(stdout, stderr),
            EventCommand.Create(stdout, stderr),
            FindingsCommand.Create(stdout),
            EvaluateCommand.Create(stdout),
            ExpandCommand.Create(stdout),
            CatalogCommand.Create(stdout),
            RulesCommand.Create(stdout),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // Most specific first: "Unrecognized command or argument 'x'" says more than "Required command was not provided".
            var reasons = parsed.Errors.Select(e => e.Message).OrderByDescending(m => m.Contains('\'', StringComparison.Ordinal));
            stderr.WriteLine($"ecs-role-auditor: {string.Join("; ", reasons)} (see 'ecs-role-auditor --help')");
            return ExitUsage;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"ecs-role-auditor: {e.Message}");
            return ExitUsage;
        }
    }
}

/// <summary>Bad usage or unreadable input, reported as one line on standard error with exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
