using EcsRoleAuditor.Aws.Offline;
using EcsRoleAuditor.ManagedPolicies;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary>The embedded AWS managed policies as the offline audit's fallback: loaded only when an export lacks one.</summary>
internal sealed class EmbeddedAwsManagedPolicies(Func<AwsManagedPolicies> corpus) : IAwsManagedPolicyFallback
{
    /// <summary>The corpus embedded in this build.</summary>
    public static EmbeddedAwsManagedPolicies Instance { get; } = new(() => AwsManagedPolicies.Embedded);

    /// <inheritdoc/>
    public string Origin => corpus().Identity.Description;

    /// <inheritdoc/>
    public KnownManagedPolicy? Find(string policyArn) => corpus().TryFind(policyArn, out var policy)
        ? new KnownManagedPolicy(policy.Name, policy.Arn, policy.Path, policy.VersionId, policy.DocumentJson)
        : null;
}
