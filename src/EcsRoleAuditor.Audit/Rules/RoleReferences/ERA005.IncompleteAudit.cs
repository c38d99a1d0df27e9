using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA005: a role, one of its policies or what the task definition needs of it could not be read, so the audit is incomplete.</summary>
public sealed class IncompleteAuditRule : IAuditRule
{
    /// <summary>ERA005, referenced by symbol wherever an audit is found incomplete; its findings make the audit incomplete.</summary>
    public static readonly RuleDescriptor Rule = new(
        "ERA005",
        "Audit incomplete: a role, policy or task definition field could not be read",
        Severity.Medium,
        "An audit that could not read a role or one of its policies (access denied, throttled to exhaustion, a role in another account, "
        + "a managed policy missing from the input) cannot say the role is fine. Nor can one that does not know what the task definition "
        + "needs of a role (infrastructure code whose container definitions are known only after deployment): the role's own statements "
        + "are still judged, its needs are not. It says so instead of reporting a clean pass.",
        "Give the auditor read access to the role and its policies (iam:GetRole, iam:ListRolePolicies, iam:GetRolePolicy, iam:ListAttachedRolePolicies, "
        + "iam:GetPolicy, iam:GetPolicyVersion), or include the missing data in the input file, and audit again.",
        ["https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html"])
    {
        MarksAuditIncomplete = true,
    };

    /// <summary>
    /// The remedy when infrastructure code leaves a role or a policy to a value only deployment settles: the rule's own
    /// (read access, a fuller export) would not help.
    /// </summary>
    public const string DeployTimeRemediation =
        "If the value the message names is a CloudFormation parameter without a value, give it with --parameter NAME=VALUE (the pseudo parameters "
        + "with --account and --region) and audit again. Any other value only deployment settles (an import, a generated name, a value known "
        + "after apply): audit the deployed resources (audit --live, or --iam with the account's get-account-authorization-details output).";

    /// <summary>The remedy when infrastructure code names a role it does not declare and no export of the account was given.</summary>
    public const string UndeclaredRoleRemediation =
        "Give the account's roles with --iam (the output of aws iam get-account-authorization-details), or audit the template that declares the role "
        + "together with this one, and audit again.";

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <summary>
    /// The ERA005 finding for a whole task definition that could not be audited (a rule failed, the run ran out of time
    /// or access): the one place such findings are built, for the audit and for the Lambda's incomplete alert.
    /// </summary>
    /// <param name="reference">The task definition as named (family:revision or ARN).</param>
    /// <param name="message">What could not be done, and why.</param>
    /// <param name="remediation">What to do about it.</param>
    public static Finding ForTaskDefinition(string reference, string message, string remediation) =>
        Rule.For(null, RoleSlot.TaskDefinition, new FindingSource(SourceKind.TaskDefinition, reference), message, remediation);

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("The execution role could not be read (access denied).", """
            {"taskDefinition":{"family":"web","executionRoleArn":"arn:aws:iam::111122223333:role/web-execution","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-execution","unreadable":"AccessDenied: iam:GetRole on arn:aws:iam::111122223333:role/web-execution"}]}
            """),
        new("Every role and policy was read.", """
            {"taskDefinition":{"family":"web","executionRoleArn":"arn:aws:iam::111122223333:role/web-execution","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-execution"}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (lookup, slot, field) in new[] { (context.TaskRoleLookup, RoleSlot.Task, "taskRoleArn"), (context.ExecutionRoleLookup, RoleSlot.Execution, "executionRoleArn") })
        {
            // A service-linked role named by its ARN is ERA002's finding: nothing of it would be audited anyway.
            if (lookup is RoleLookup.Unreadable unreadable && !ServiceLinkedRoleRule.IsServiceLinkedArn(unreadable.Reference))
            {
                var name = Arn.TryParse(unreadable.Reference, out var arn) ? arn.ResourceName : unreadable.Reference;
                yield return Descriptor.For(unreadable.Reference, slot, new FindingSource(SourceKind.Role, name),
                    $"The audit of {context.TaskDefinition.DisplayName} is incomplete: its {field} {unreadable.Reference} could not be read ({unreadable.Detail}).",
                    unreadable.Remedy ?? Descriptor.Remediation);
            }
        }
        foreach (var field in context.TaskDefinition.UnauditedFields)
        {
            var what = field.Slot switch
            {
                RoleSlot.Execution => "what it needs of the execution role is",
                RoleSlot.Task => "what it needs of the task role is",
                // A field that decides no role's needs (a container's plaintext environment): only the field itself goes unchecked.
                _ => "it is",
            };
            yield return Descriptor.For(null, field.Slot, new FindingSource(SourceKind.TaskDefinition, field.Field),
                $"The audit of {context.TaskDefinition.DisplayName} is incomplete: its {field.Field} is {field.Reason}, so {what} not audited.",
                DeployTimeRemediation);
        }
        foreach (var role in context.Roles.DistinctBy(r => r.Role.Arn))
        {
            foreach (var problem in role.Role.Problems.Where(p => p.Kind == ReadProblemKind.Unreadable))
            {
                yield return Descriptor.For(role.Role.Arn, role.Slot, problem.Source,
                    $"The audit of {role.Role.Name} is incomplete: the {problem.Source} could not be read ({problem.Detail}).",
                    problem.Remedy ?? Descriptor.Remediation);
            }
        }
    }
}
