using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA047: a policy document of a role is malformed (offline inputs): it was read but is not a valid policy.</summary>
/// <remarks>
/// IAM never stores an invalid document, so a malformed one comes from an edited or truncated input file, or from a
/// construct the parser does not accept. Either way the audit could not evaluate it: one finding per problem, naming the
/// policy and where in it the parser stopped. Documents that could not be obtained at all are ERA005's.
/// </remarks>
public sealed class MalformedPolicyRule : IAuditRule
{
    /// <summary>ERA047; its findings make the audit incomplete.</summary>
    public static readonly RuleDescriptor Rule = new(
        "ERA047",
        "Policy document is malformed",
        Severity.High,
        "A policy document that does not parse cannot be audited: whatever it allows or denies is unknown, so the role's findings are incomplete. "
        + "IAM rejects invalid documents, so the input file was edited or truncated, or holds something the auditor does not understand.",
        "Export the role again (aws iam get-account-authorization-details) or fix the document at the reported location, and audit again; "
        + "if IAM accepts the document as it is, report it as a bug of ecs-role-auditor.",
        ["https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
         "https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html"])
    {
        MarksAuditIncomplete = true,
    };

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("An inline policy of the execution role says \"Permit\" instead of \"Allow\".", """
            {"taskDefinition":{"family":"web","executionRoleArn":"arn:aws:iam::111122223333:role/web-execution","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-execution",
                       "inline":{"logs":{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"logs:PutLogEvents","Resource":"*"}]}}}]}
            """),
        new("The same policy, valid.", """
            {"taskDefinition":{"family":"web","executionRoleArn":"arn:aws:iam::111122223333:role/web-execution","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-execution",
                       "inline":{"logs":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"arn:aws:logs:eu-west-1:111122223333:log-group:web:*"}]}}}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (role, job) in context.DistinctRoles())
        {
            foreach (var problem in role.Role.Problems.Where(p => p.Kind == ReadProblemKind.Malformed))
            {
                yield return Descriptor.For(role.Role.Arn, role.Slot, problem.Source,
                    $"The {problem.Source} of {role.Role.Name} (the {job} of {context.TaskDefinition.DisplayName}) is malformed and was not audited: {problem.Detail}.",
                    $"Fix the {problem.Source} of {role.Role.Name} at the reported location, or export the role again, and audit again.");
            }
        }
    }
}
