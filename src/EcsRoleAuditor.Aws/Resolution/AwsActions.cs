namespace EcsRoleAuditor.Aws.Resolution;

/// <summary>
/// Every AWS operation the auditor calls (IAM, ECS, SNS, DynamoDB; STS, Organizations and SQS in organization mode; Security Hub as a findings sink; Secrets Manager and SSM for fix --live), referenced by symbol wherever a call is made,
/// counted or described. The function's IAM policy in template.yaml must grant exactly their actions (a test compares).
/// </summary>
public static class AwsActions
{
    /// <summary><c>iam:GetRole</c>: the role, its trust policy, boundary and tags.</summary>
    public static readonly AwsOperation GetRole = new("iam", "GetRole", Paginated: false);

    /// <summary><c>iam:ListRolePolicies</c>: the names of a role's inline policies.</summary>
    public static readonly AwsOperation ListRolePolicies = new("iam", "ListRolePolicies", Paginated: true);

    /// <summary><c>iam:GetRolePolicy</c>: an inline policy's document.</summary>
    public static readonly AwsOperation GetRolePolicy = new("iam", "GetRolePolicy", Paginated: false);

    /// <summary><c>iam:ListAttachedRolePolicies</c>: a role's managed policies.</summary>
    public static readonly AwsOperation ListAttachedRolePolicies = new("iam", "ListAttachedRolePolicies", Paginated: true);

    /// <summary><c>iam:GetPolicy</c>: a managed policy's default version id.</summary>
    public static readonly AwsOperation GetPolicy = new("iam", "GetPolicy", Paginated: false);

    /// <summary><c>iam:GetPolicyVersion</c>: a managed policy version's document.</summary>
    public static readonly AwsOperation GetPolicyVersion = new("iam", "GetPolicyVersion", Paginated: false);

    /// <summary><c>iam:GetAccountAuthorizationDetails</c>: roles and managed policies in bulk.</summary>
    public static readonly AwsOperation GetAccountAuthorizationDetails = new("iam", "GetAccountAuthorizationDetails", Paginated: true);

    /// <summary><c>ecs:DescribeTaskDefinition</c>: a task definition with its tags.</summary>
    public static readonly AwsOperation DescribeTaskDefinition = new("ecs", "DescribeTaskDefinition", Paginated: false);

    /// <summary><c>ecs:ListTaskDefinitions</c>: task definition ARNs.</summary>
    public static readonly AwsOperation ListTaskDefinitions = new("ecs", "ListTaskDefinitions", Paginated: true);

    /// <summary><c>ecs:ListTaskDefinitionFamilies</c>: task definition families.</summary>
    public static readonly AwsOperation ListTaskDefinitionFamilies = new("ecs", "ListTaskDefinitionFamilies", Paginated: true);

    /// <summary><c>sns:Publish</c>: an alert.</summary>
    public static readonly AwsOperation Publish = new("sns", "Publish", Paginated: false);

    /// <summary><c>dynamodb:PutItem</c>: a finding's state, written (conditionally) whole.</summary>
    public static readonly AwsOperation PutItem = new("dynamodb", "PutItem", Paginated: false);

    /// <summary><c>dynamodb:UpdateItem</c>: a finding's state, changed (conditionally) in place.</summary>
    public static readonly AwsOperation UpdateItem = new("dynamodb", "UpdateItem", Paginated: false);

    /// <summary><c>dynamodb:Query</c>: the items of one partition of the table or an index.</summary>
    public static readonly AwsOperation Query = new("dynamodb", "Query", Paginated: true);

    /// <summary><c>sts:AssumeRole</c>: organization mode and <c>--role-name</c>, the reader role in each audited account.</summary>
    public static readonly AwsOperation AssumeRole = new("sts", "AssumeRole", Paginated: false);

    /// <summary><c>organizations:ListAccounts</c>: organization mode, the accounts a sweep covers (management or delegated administrator account only).</summary>
    public static readonly AwsOperation ListAccounts = new("organizations", "ListAccounts", Paginated: true);

    /// <summary><c>sqs:SendMessage</c>: organization mode, one sweep message per account and region, ten to a call.</summary>
    public static readonly AwsOperation SendMessageBatch = new("sqs", "SendMessageBatch", Paginated: false, ActionName: "SendMessage");

    /// <summary><c>securityhub:BatchImportFindings</c>: findings created or updated, up to 100 to a call.</summary>
    public static readonly AwsOperation BatchImportFindings = new("securityhub", "BatchImportFindings", Paginated: false);

    /// <summary><c>securityhub:BatchUpdateFindings</c>: a finding's workflow status and note, the customer's fields.</summary>
    public static readonly AwsOperation BatchUpdateFindings = new("securityhub", "BatchUpdateFindings", Paginated: false);

    /// <summary><c>securityhub:GetFindings</c>: the imported findings a filter selects.</summary>
    public static readonly AwsOperation GetFindings = new("securityhub", "GetFindings", Paginated: true);

    /// <summary><c>secretsmanager:DescribeSecret</c>: fix --live, the KMS key that encrypts a secret the execution role reads.</summary>
    public static readonly AwsOperation DescribeSecret = new("secretsmanager", "DescribeSecret", Paginated: false);

    /// <summary><c>ssm:DescribeParameters</c>: fix --live, the type and KMS key of the parameters the execution role reads, up to 50 names a call.</summary>
    public static readonly AwsOperation DescribeParameters = new("ssm", "DescribeParameters", Paginated: true);

    /// <summary>The calls only organization mode makes (the central function's extra permissions).</summary>
    public static IReadOnlyList<AwsOperation> OrganizationMode { get; } = [AssumeRole, ListAccounts, SendMessageBatch];

    /// <summary>
    /// The calls only the Security Hub sink makes (extra permissions when it is turned on). Kept out of <see cref="All"/>
    /// until the function's template grants them.
    /// </summary>
    public static IReadOnlyList<AwsOperation> SecurityHub { get; } = [BatchImportFindings, BatchUpdateFindings, GetFindings];

    /// <summary>
    /// The calls only <c>fix --live</c> makes besides the audit's reads (its extra permissions): which KMS key encrypts
    /// each secret and parameter. Kept out of <see cref="All"/>: the function never calls them.
    /// </summary>
    public static IReadOnlyList<AwsOperation> EncryptionKeys { get; } = [DescribeSecret, DescribeParameters];

    /// <summary>All of the above but <see cref="OrganizationMode"/>'s, <see cref="SecurityHub"/>'s and <see cref="EncryptionKeys"/>'s, in this order.</summary>
    public static IReadOnlyList<AwsOperation> All { get; } =
    [
        GetRole, ListRolePolicies, GetRolePolicy, ListAttachedRolePolicies, GetPolicy, GetPolicyVersion, GetAccountAuthorizationDetails,
        DescribeTaskDefinition, ListTaskDefinitions, ListTaskDefinitionFamilies, Publish,
        PutItem, UpdateItem, Query,
    ];
}
