using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.Aws.Resolution;

/// <summary>How a sweep reads its roles.</summary>
public enum RoleReadStrategy
{
    /// <summary><see cref="IamRoleDirectory"/>: a few calls per role.</summary>
    PerRole,
    /// <summary><see cref="AuthorizationDetailsDirectory"/>: every page of GetAccountAuthorizationDetails, once.</summary>
    Bulk,
}

/// <summary>
/// Chooses between the per-role and the bulk path by estimated API calls (see docs/aws-access.md):
/// <list type="bullet">
/// <item>per role: 3·R + N + 2·D − C, for R roles with N inline policies in all, D distinct managed policies (boundaries included) of which C versions are already cached;</item>
/// <item>bulk: ceil((A + L + W) / P), for A roles in the account, L customer managed and W AWS managed policies, P entities per page.</item>
/// </list>
/// The bulk path is chosen only when it is strictly cheaper. Unknown counts take the stated defaults.
/// </summary>
/// <param name="Roles">R: the distinct roles the sweep reads.</param>
/// <param name="InlinePolicies">N: inline policies over all those roles; <see cref="AssumedInlinePerRole"/> per role when null.</param>
/// <param name="DistinctManagedPolicies">D: distinct managed policies they attach (boundaries included); <see cref="AssumedManagedPerRole"/> per role when null (no sharing assumed).</param>
/// <param name="CachedManagedPolicies">C: how many of those have their default version in the cache already.</param>
/// <param name="AccountRoles">A: roles in the account; R when null (the fewest possible, which favours the bulk path least).</param>
/// <param name="CustomerManagedPolicies">L: customer managed policies in the account.</param>
/// <param name="AwsManagedPolicies">W: AWS managed policies the AWSManagedPolicy filter returns (about 1,400).</param>
/// <param name="PageSize">P: entities per page (IAM's default MaxItems is 100).</param>
public sealed record RoleReadPlan(
    int Roles,
    int? InlinePolicies = null,
    int? DistinctManagedPolicies = null,
    int CachedManagedPolicies = 0,
    int? AccountRoles = null,
    int CustomerManagedPolicies = 0,
    int AwsManagedPolicies = RoleReadPlan.DefaultAwsManagedPolicies,
    int PageSize = RoleReadPlan.DefaultPageSize)
{
    /// <summary>AWS managed policies visible to every account, in round numbers.</summary>
    public const int DefaultAwsManagedPolicies = 1400;

    /// <summary>IAM's default page size (MaxItems) for GetAccountAuthorizationDetails.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>Inline policies assumed per role when their number is unknown.</summary>
    public const int AssumedInlinePerRole = 1;

    /// <summary>Managed policies assumed per role when their number is unknown.</summary>
    public const int AssumedManagedPerRole = 2;

    /// <summary>Estimated calls of the per-role path.</summary>
    public long PerRoleCalls
    {
        get
        {
            long distinct = DistinctManagedPolicies ?? (long)Roles * AssumedManagedPerRole;
            return (3L * Roles) + (InlinePolicies ?? (long)Roles * AssumedInlinePerRole) + (2 * distinct) - Math.Min(CachedManagedPolicies, distinct);
        }
    }

    /// <summary>Estimated calls of the bulk path.</summary>
    public long BulkCalls
    {
        get
        {
            long entities = (long)(AccountRoles ?? Roles) + CustomerManagedPolicies + AwsManagedPolicies;
            return Math.Max(1, (entities + PageSize - 1) / PageSize);
        }
    }

    /// <summary>
    /// The bulk path only when it needs at most half the calls: its pages are far larger than a per-role answer (up to a
    /// hundred entities with every policy version each) and nothing can be audited before the last page arrives, while
    /// per-role reads are small and start at once. One or two task definitions therefore stay per role.
    /// </summary>
    public RoleReadStrategy Strategy => 2 * BulkCalls <= PerRoleCalls ? RoleReadStrategy.Bulk : RoleReadStrategy.PerRole;

    /// <summary>A plan for the roles the task definitions name (task and execution roles, distinct by name).</summary>
    public static RoleReadPlan For(IEnumerable<TaskDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var names = definitions
            .SelectMany(d => new[] { d.TaskRoleArn, d.ExecutionRoleArn })
            .OfType<string>()
            .Select(r => RoleReference.Parse(r)?.Name ?? r)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Count();
        return new RoleReadPlan(names);
    }

    /// <summary>The directory <see cref="Strategy"/> picks.</summary>
    public IRoleDirectory CreateDirectory(IIamApi iam, IamRoleDirectoryOptions? options = null) => Strategy == RoleReadStrategy.Bulk
        ? new AuthorizationDetailsDirectory(iam, options)
        : new IamRoleDirectory(iam, options);

    /// <summary>For logs: the choice and both estimates.</summary>
    public override string ToString() => $"{Strategy} ({PerRoleCalls} calls per role vs {BulkCalls} bulk)";
}
