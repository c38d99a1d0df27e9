using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.EventAudit.Alerts;

/// <summary>Where the audited task definitions live: the partition, region and account alerts name and link to.</summary>
/// <param name="Partition">e.g. <c>aws</c>, <c>aws-cn</c>, <c>aws-us-gov</c>.</param>
/// <param name="Region">e.g. <c>eu-west-1</c>.</param>
/// <param name="AccountId">The 12-digit account.</param>
internal sealed record AlertScope(string Partition, string Region, string AccountId)
{
    /// <summary>The scope of an ARN (<c>arn:partition:service:region:account:...</c>), or null when it is not one with a region and account.</summary>
    public static AlertScope? FromArn(string? arn) =>
        Arn.TryParse(arn, out var parsed) && parsed.Partition.Length > 0 && parsed.IsRegional && parsed.Account.Length > 0
            ? new AlertScope(parsed.Partition, parsed.Region, parsed.Account)
            : null;
}
