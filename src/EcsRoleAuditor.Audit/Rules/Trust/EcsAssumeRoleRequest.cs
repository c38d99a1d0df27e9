using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>
/// What the audit knows of the sts:AssumeRole call ECS makes for a task of the audited task definition: ECS sets
/// aws:SourceAccount to the task's account and aws:SourceArn to an ECS ARN of the task's partition, region and account
/// (Amazon ECS Developer Guide, "Task IAM role"). The partition, region and account come from the task definition's ARN;
/// without one, the partition and account are the role's (a task role lives in the task's account) and the region is unknown.
/// </summary>
internal sealed class EcsAssumeRoleRequest
{
    private EcsAssumeRoleRequest(string? partition, string? region, string? account, string accountOrigin)
    {
        Partition = partition;
        Region = region;
        Account = account;
        AccountOrigin = accountOrigin;
    }

    /// <summary>The task's partition, when known.</summary>
    public string? Partition { get; }

    /// <summary>The task's region, when known (the task definition has an ARN).</summary>
    public string? Region { get; }

    /// <summary>The task's account, when known.</summary>
    public string? Account { get; }

    /// <summary>Where <see cref="Account"/> comes from, in words: <c>the task definition's account</c> or <c>the role's account</c>.</summary>
    public string AccountOrigin { get; }

    /// <summary>The request for tasks of <paramref name="definition"/> that use <paramref name="role"/>.</summary>
    public static EcsAssumeRoleRequest For(TaskDefinition definition, Role role)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(role);
        var roleArn = Arn.TryParse(role.Arn, out var parsed) ? parsed : (Arn?)null;
        if (definition.ArnScope is var (partition, region, account) && account.Length > 0)
        {
            return new(NonEmpty(partition), NonEmpty(region), account, "the task definition's account");
        }
        return new(NonEmpty(roleArn?.Partition), null, NonEmpty(roleArn?.Account), "the role's account; the task definition has no ARN");
    }

    /// <summary>The condition AWS documents for this request (<see cref="TrustStatements.RecommendedCondition"/>), placeholders where unknown.</summary>
    public string RecommendedCondition => TrustStatements.RecommendedCondition(Partition ?? "aws", Region ?? "*", Account ?? "ACCOUNT");

    /// <summary>The recommended trust policy for this request (<see cref="TrustStatements.RecommendedTrust(string, string, string)"/>).</summary>
    public string RecommendedTrust => TrustStatements.RecommendedTrust(Partition ?? "aws", Region ?? "*", Account ?? "ACCOUNT");

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
