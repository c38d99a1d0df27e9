namespace EcsRoleAuditor.Aws.Api;

/// <summary>
/// The IAM operations the auditor calls, one method per API call (a call of this interface is one request to IAM, so
/// callers can count and cache them). Policy documents are returned URL-decoded, as JSON text. AWS errors are thrown as
/// <see cref="Amazon.Runtime.AmazonServiceException"/> subclasses carrying the wire <c>ErrorCode</c>
/// (<c>NoSuchEntity</c>, <c>AccessDenied</c>, <c>Throttling</c>, ...) after the SDK's retries.
/// </summary>
public interface IIamApi
{
    /// <summary>GetRole: the role, its trust policy, path, boundary and tags (as GetRole returns them).</summary>
    Task<IamRole> GetRoleAsync(string roleName, CancellationToken cancellationToken);

    /// <summary>ListRolePolicies: one page of inline policy names.</summary>
    Task<Page<string>> ListRolePoliciesAsync(string roleName, string? marker, CancellationToken cancellationToken);

    /// <summary>GetRolePolicy: an inline policy's document.</summary>
    Task<string> GetRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken);

    /// <summary>ListAttachedRolePolicies: one page of attached managed policies.</summary>
    Task<Page<AttachedPolicy>> ListAttachedRolePoliciesAsync(string roleName, string? marker, CancellationToken cancellationToken);

    /// <summary>GetPolicy: a managed policy's metadata, with its default version id.</summary>
    Task<ManagedPolicyInfo> GetPolicyAsync(string policyArn, CancellationToken cancellationToken);

    /// <summary>GetPolicyVersion: one version's document.</summary>
    Task<string> GetPolicyVersionAsync(string policyArn, string versionId, CancellationToken cancellationToken);

    /// <summary>GetAccountAuthorizationDetails with the given filters (<c>Role</c>, <c>LocalManagedPolicy</c>, <c>AWSManagedPolicy</c>): one page.</summary>
    Task<AuthorizationDetailsPage> GetAccountAuthorizationDetailsAsync(IReadOnlyList<string> filter, string? marker, CancellationToken cancellationToken);
}

/// <summary>One page of a paginated answer, as <see cref="Resolution.Pages"/> follows it.</summary>
public interface IPage
{
    /// <summary>The marker (IAM <c>Marker</c> when <c>IsTruncated</c>) or token (ECS <c>nextToken</c>) of the next page; null on the last page.</summary>
    string? NextMarker { get; }
}

/// <summary>One page of a paginated IAM or ECS list.</summary>
/// <param name="Items">The items of this page.</param>
/// <param name="NextMarker">The next page's marker, or null on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextMarker) : IPage;

/// <summary>A tag of an IAM role.</summary>
public sealed record IamTag(string Key, string Value);

/// <summary>A role as GetRole returns it.</summary>
/// <param name="RoleName">The name.</param>
/// <param name="Arn">The ARN.</param>
/// <param name="Path">The path, e.g. <c>/</c> or <c>/service-role/</c>.</param>
/// <param name="AssumeRolePolicyDocument">The trust policy, URL-decoded JSON; null when the answer held none.</param>
/// <param name="PermissionsBoundaryArn">The permission boundary policy ARN, or null.</param>
/// <param name="Tags">The tags: GetRole returns all of them (a role has at most 50).</param>
public sealed record IamRole(string RoleName, string Arn, string Path, string? AssumeRolePolicyDocument, string? PermissionsBoundaryArn, IReadOnlyList<IamTag> Tags)
{
    /// <summary>Why a recording leaves the trust policy out on purpose (a value known only at deployment), or null.</summary>
    public string? TrustUnaudited { get; init; }
}

/// <summary>A managed policy attached to a role.</summary>
public sealed record AttachedPolicy(string PolicyName, string PolicyArn);

/// <summary>A managed policy's metadata as GetPolicy returns it.</summary>
public sealed record ManagedPolicyInfo(string PolicyName, string Arn, string Path, string DefaultVersionId);

/// <summary>One page of GetAccountAuthorizationDetails.</summary>
/// <param name="Roles">RoleDetailList.</param>
/// <param name="Policies">Policies (managed policies with their versions).</param>
/// <param name="NextMarker">The next page's marker, or null on the last page.</param>
public sealed record AuthorizationDetailsPage(IReadOnlyList<RoleDetail> Roles, IReadOnlyList<ManagedPolicyDetail> Policies, string? NextMarker) : IPage;

/// <summary>A role with everything attached, as GetAccountAuthorizationDetails returns it; a part the answer did not hold is null (unknown, not empty).</summary>
public sealed record RoleDetail(
    string RoleName,
    string Arn,
    string Path,
    string? AssumeRolePolicyDocument,
    IReadOnlyList<InlinePolicy>? InlinePolicies,
    IReadOnlyList<AttachedPolicy>? AttachedPolicies,
    string? PermissionsBoundaryArn,
    IReadOnlyList<IamTag> Tags)
{
    /// <summary>Why a recording leaves the trust policy out on purpose (a value known only at deployment), or null.</summary>
    public string? TrustUnaudited { get; init; }
}

/// <summary>An inline policy with its URL-decoded document (null when the answer held none).</summary>
public sealed record InlinePolicy(string PolicyName, string? Document)
{
    /// <summary>Why a recording leaves the document out on purpose (a value known only at deployment), or null.</summary>
    public string? Unaudited { get; init; }
}

/// <summary>A managed policy with its versions, as GetAccountAuthorizationDetails returns it.</summary>
public sealed record ManagedPolicyDetail(string PolicyName, string Arn, string Path, string? DefaultVersionId, IReadOnlyList<ManagedPolicyVersion> Versions);

/// <summary>A managed policy version; <paramref name="Document"/> is URL-decoded JSON, null when the answer held none.</summary>
public sealed record ManagedPolicyVersion(string VersionId, bool IsDefaultVersion, string? Document)
{
    /// <summary>Why a recording leaves the document out on purpose (a value known only at deployment), or null.</summary>
    public string? Unaudited { get; init; }
}
