using System.Collections.Immutable;
using EcsRoleAuditor.InfrastructureCode.Declared;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.InfrastructureCode.Terraform;

/// <summary>
/// The partition, account and region ARNs are built with when the plan knows an ARN only after apply.
/// </summary>
/// <param name="Partition">The partition (<c>aws</c>, <c>aws-cn</c>, <c>aws-us-gov</c>).</param>
/// <param name="Account">The account: given, found in the plan, or <see cref="Declared.StandIns.Account"/>.</param>
/// <param name="AccountKnown">False when <paramref name="Account"/> is the placeholder.</param>
/// <param name="Region">The region (given, or the root provider's constant <c>region</c>), or null.</param>
internal sealed record PlanArns(string Partition, string Account, bool AccountKnown, string? Region)
{
    // The resource types whose ARNs the plan reader places, with their services (the Service Authorization Reference's
    // prefixes); any other type's unknown ARN is not placed at all rather than guessed from its name.
    private static readonly ImmutableDictionary<string, string> Services = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["aws_cloudwatch_log_group"] = "logs",
        ["aws_efs_file_system"] = "elasticfilesystem",
        ["aws_efs_access_point"] = "elasticfilesystem",
        ["aws_ecs_cluster"] = "ecs",
        ["aws_ecs_service"] = "ecs",
        ["aws_ecs_task_definition"] = "ecs",
        ["aws_ecr_repository"] = "ecr",
        ["aws_s3_bucket"] = "s3",
        ["aws_dynamodb_table"] = "dynamodb",
        ["aws_sqs_queue"] = "sqs",
        ["aws_sns_topic"] = "sns",
        ["aws_kms_key"] = "kms",
        ["aws_secretsmanager_secret"] = "secretsmanager",
        ["aws_ssm_parameter"] = "ssm",
        ["aws_iam_role"] = "iam",
        ["aws_iam_policy"] = "iam",
        ["aws_lambda_function"] = "lambda",
        ["aws_kinesis_stream"] = "kinesis",
    }.ToImmutableDictionary();

    // Services whose ARNs name no region (S3, IAM) or no account either (S3).
    private static readonly ImmutableHashSet<string> Global = ["s3", "iam", "cloudfront", "route53"];

    /// <summary>
    /// A Resource element for the ARN of a resource the plan creates: the marker as the resource part of an ARN whose other
    /// parts are what the resource type settles (<c>arn:aws:s3:::${unresolved.aws_s3_bucket.data.arn}</c>). IAM accepts
    /// only ARNs and <c>*</c> there, and the evaluator decides the parts it knows: another service's resource is simply
    /// not matched, and the marker's own part is never taken as matching or not. Parts the plan does not settle are
    /// <c>*</c>. Null when not even the service is known (no AWS resource type): the statement cannot be placed.
    /// </summary>
    public string? ResourceMarker(string expression, string? resourceType)
    {
        if (resourceType is null || !resourceType.StartsWith("aws_", StringComparison.Ordinal))
        {
            return null;
        }
        // The type's first word is the service only for the types listed: aws_db_instance is rds, aws_lb elasticloadbalancing.
        if (!Services.TryGetValue(resourceType, out var service))
        {
            return null;
        }
        var region = Global.Contains(service) ? "" : Region ?? "*";
        var account = service == "s3" ? "" : AccountKnown ? Account : "*";
        return Arn.Create(Partition, service, region, account, UnresolvedValue.For(expression)).ToString();
    }
}
