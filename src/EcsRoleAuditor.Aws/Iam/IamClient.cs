using System.Globalization;
using System.Xml.Linq;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Iam;

/// <summary>
/// <see cref="IIamApi"/> over IAM's awsQuery API (version 2010-05-08) on the SDK pipeline. Each method sends one
/// request; policy documents come back URL-decoded.
/// </summary>
internal sealed class IamClient : QueryServiceClient, IIamApi
{
    private readonly string maxItems;

    /// <summary>A client with the given credentials (null: the SDK's default chain) and configuration.</summary>
    public IamClient(AWSCredentials? credentials, IamClientConfig config)
        : base(credentials, config)
    {
        ArgumentNullException.ThrowIfNull(config);
        maxItems = config.MaxItems.ToString(CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task<IamRole> GetRoleAsync(string roleName, CancellationToken cancellationToken)
    {
        var result = await CallAsync(new QueryRequest(AwsActions.GetRole).With("RoleName", roleName), cancellationToken).ConfigureAwait(false);
        var role = result.Child("Role") ?? throw Missing("Role");
        return new IamRole(
            role.RequiredText("RoleName"),
            role.RequiredText("Arn"),
            role.RequiredText("Path"),
            role.Document("AssumeRolePolicyDocument"),
            BoundaryArn(role),
            Tags(role));
    }

    /// <inheritdoc />
    public async Task<Page<string>> ListRolePoliciesAsync(string roleName, string? marker, CancellationToken cancellationToken)
    {
        var result = await CallAsync(Listing(AwsActions.ListRolePolicies, marker).With("RoleName", roleName), cancellationToken).ConfigureAwait(false);
        return new([.. result.Members("PolicyNames").Select(m => m.Value)], result.NextMarker());
    }

    /// <inheritdoc />
    public async Task<string> GetRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken)
    {
        var request = new QueryRequest(AwsActions.GetRolePolicy).With("RoleName", roleName).With("PolicyName", policyName);
        var result = await CallAsync(request, cancellationToken).ConfigureAwait(false);
        return result.Document("PolicyDocument");
    }

    /// <inheritdoc />
    public async Task<Page<AttachedPolicy>> ListAttachedRolePoliciesAsync(string roleName, string? marker, CancellationToken cancellationToken)
    {
        var result = await CallAsync(Listing(AwsActions.ListAttachedRolePolicies, marker).With("RoleName", roleName), cancellationToken).ConfigureAwait(false);
        return new(Attached(result, "AttachedPolicies"), result.NextMarker());
    }

    /// <inheritdoc />
    public async Task<ManagedPolicyInfo> GetPolicyAsync(string policyArn, CancellationToken cancellationToken)
    {
        var result = await CallAsync(new QueryRequest(AwsActions.GetPolicy).With("PolicyArn", policyArn), cancellationToken).ConfigureAwait(false);
        var policy = result.Child("Policy") ?? throw Missing("Policy");
        return new ManagedPolicyInfo(policy.RequiredText("PolicyName"), policy.RequiredText("Arn"), policy.RequiredText("Path"), policy.RequiredText("DefaultVersionId"));
    }

    /// <inheritdoc />
    public async Task<string> GetPolicyVersionAsync(string policyArn, string versionId, CancellationToken cancellationToken)
    {
        var request = new QueryRequest(AwsActions.GetPolicyVersion).With("PolicyArn", policyArn).With("VersionId", versionId);
        var result = await CallAsync(request, cancellationToken).ConfigureAwait(false);
        return (result.Child("PolicyVersion") ?? throw Missing("PolicyVersion")).Document("Document");
    }

    /// <inheritdoc />
    public async Task<AuthorizationDetailsPage> GetAccountAuthorizationDetailsAsync(IReadOnlyList<string> filter, string? marker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var request = Listing(AwsActions.GetAccountAuthorizationDetails, marker).WithList("Filter", filter);
        var result = await CallAsync(request, cancellationToken).ConfigureAwait(false);
        var roles = result.Members("RoleDetailList").Select(role => new RoleDetail(
            role.RequiredText("RoleName"),
            role.RequiredText("Arn"),
            role.RequiredText("Path"),
            role.Document("AssumeRolePolicyDocument"),
            [.. role.Members("RolePolicyList").Select(p => new InlinePolicy(p.RequiredText("PolicyName"), p.Document("PolicyDocument")))],
            Attached(role, "AttachedManagedPolicies"),
            BoundaryArn(role),
            Tags(role)));
        var policies = result.Members("Policies").Select(policy => new ManagedPolicyDetail(
            policy.RequiredText("PolicyName"),
            policy.RequiredText("Arn"),
            policy.RequiredText("Path"),
            policy.RequiredText("DefaultVersionId"),
            [.. policy.Members("PolicyVersionList").Select(v => new ManagedPolicyVersion(v.RequiredText("VersionId"), v.Flag("IsDefaultVersion"), v.Document("Document")))]));
        return new AuthorizationDetailsPage([.. roles], [.. policies], result.NextMarker());
    }

    private QueryRequest Listing(AwsOperation operation, string? marker) => new QueryRequest(operation).With("Marker", marker).With("MaxItems", maxItems);

    private static string? BoundaryArn(XElement role) => role.Child("PermissionsBoundary")?.Text("PermissionsBoundaryArn");

    private static IamTag[] Tags(XElement owner) => [.. owner.Members("Tags").Select(t => new IamTag(t.RequiredText("Key"), t.Text("Value") ?? string.Empty))];

    private static AttachedPolicy[] Attached(XElement owner, string listName) =>
        [.. owner.Members(listName).Select(p => new AttachedPolicy(p.RequiredText("PolicyName"), p.RequiredText("PolicyArn")))];

    private static AmazonUnmarshallingException Missing(string element) =>
        new(string.Empty, element, new FormatException($"The IAM response has no <{element}>."));
}
