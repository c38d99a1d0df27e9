using System.Text;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Reporting;

/// <summary>
/// The <c>ecs-role-auditor</c> command lines that reports, alerts and remedies tell people to run, written in one place so
/// that each targets the right account and region and every argument from input is quoted for a POSIX shell: a pasted
/// command runs that command and nothing else, whatever a family or file name holds.
/// </summary>
public static class CommandLines
{
    /// <summary>The words before the fix command wherever it is named.</summary>
    public const string WriteExecutionRole = "Write the least-privilege execution role";

    /// <summary>
    /// <c>ecs-role-auditor audit --live</c>, in a run of several accounts <c>--accounts ACCOUNT --region REGION</c>: what
    /// audits a task definition or a step again (ERA005's remedy).
    /// </summary>
    /// <param name="accountId">The account when the run covered several; null for the caller's own.</param>
    /// <param name="region">Its region, with <paramref name="accountId"/>.</param>
    public static string AuditLive(string? accountId, string? region) =>
        accountId is null ? $"{ReportOptions.ToolName} audit --live" : $"{ReportOptions.ToolName} audit --live --accounts {Quote(accountId)} --region {Quote(region ?? "")}";

    /// <summary>
    /// The command that writes the execution role of <paramref name="report"/>'s task definition: from the file it was
    /// read from when <paramref name="sourceFile"/> is known (<c>fix --task-definitions FILE --task-definition F:R</c>),
    /// else from ECS (<c>fix --live --task-definition F:R --region R</c>, region from the task definition's ARN); in a
    /// run of several accounts (<paramref name="readerRoleName"/> given) with <c>--assume-role</c> of that role in the task
    /// definition's account, since <c>fix</c> reads one account, as the audit of several reads each.
    /// </summary>
    /// <param name="report">The task definition.</param>
    /// <param name="sourceFile">The file it was read from, if any.</param>
    /// <param name="readerRoleName">The role assumed in each account when the run covered several; null for one account.</param>
    public static string Fix(TaskDefinitionReport report, string? sourceFile, string? readerRoleName)
    {
        ArgumentNullException.ThrowIfNull(report);
        var command = new StringBuilder(ReportOptions.ToolName).Append(" fix");
        if (sourceFile is not null)
        {
            return command.Append(" --task-definitions ").Append(Quote(sourceFile)).Append(" --task-definition ").Append(Quote(report.DisplayName)).ToString();
        }
        command.Append(" --live --task-definition ").Append(Quote(report.DisplayName));
        if (Arn.TryParse(report.TaskDefinitionArn, out var arn) && arn.IsRegional)
        {
            command.Append(" --region ").Append(Quote(arn.Region));
            if (readerRoleName is not null && arn.Account.Length > 0)
            {
                command.Append(" --assume-role ").Append(Quote(Arn.Create(arn.Partition, "iam", "", arn.Account, $"role/{readerRoleName}").ToString()));
            }
        }
        return command.ToString();
    }

    /// <summary>
    /// The command that writes the roles of <paramref name="report"/>'s task definition from the infrastructure code the
    /// audit read (<c>fix --cloudformation FILE … --task-definition FAMILY</c>): before deployment there is nothing in ECS
    /// for <c>--live</c> to read.
    /// </summary>
    /// <param name="report">The task definition.</param>
    /// <param name="arguments">The input arguments, already quoted (<see cref="ReportOptions.InfrastructureCodeArguments"/>).</param>
    public static string FixFromCode(TaskDefinitionReport report, string arguments)
    {
        ArgumentNullException.ThrowIfNull(report);
        return $"{ReportOptions.ToolName} fix {arguments} --task-definition {Quote(report.DisplayName)}";
    }

    /// <summary>
    /// <paramref name="argument"/> as one word for a POSIX shell: as it is when it holds only characters no shell treats
    /// specially (letters, digits and <c>-_.:/@,+%</c>), else in single quotes, each <c>'</c> written <c>'\''</c>.
    /// </summary>
    public static string Quote(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        return argument.Length > 0 && argument.All(IsPlain) ? argument : "'" + argument.Replace("'", @"'\''", StringComparison.Ordinal) + "'";
    }

    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '/' or '@' or ',' or '+' or '%';
}
