namespace EcsRoleAuditor.InfrastructureCode.Terraform;

/// <summary>What the command line tells the Terraform plan reader that the plan may not: the account and region it deploys to.</summary>
/// <param name="Account">The 12-digit account the plan is applied in (<c>--account</c>); it names roles whose ARN is known only after apply.</param>
/// <param name="Region">The region (<c>--region</c>); it settles the partition (<c>aws-cn</c>, <c>aws-us-gov</c>) of ARNs the reader builds.</param>
public sealed record TerraformPlanOptions(string? Account = null, string? Region = null);
