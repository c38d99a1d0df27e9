namespace EcsRoleAuditor.FakeAws;

/// <summary>A Secrets Manager secret the fake describes (never a value): its full ARN and the KMS key that encrypts it.</summary>
/// <param name="Arn">The full ARN, <c>arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-AbCdEf</c>.</param>
/// <param name="KmsKeyId">The key as DescribeSecret names it, or null for the AWS managed key <c>aws/secretsmanager</c> (DescribeSecret then omits it).</param>
public sealed record FakeSecret(string Arn, string? KmsKeyId = null)
{
    /// <summary>The name: the ARN's resource id without the hyphen and six random characters.</summary>
    public string Name => Arn[(Arn.IndexOf(":secret:", StringComparison.Ordinal) + ":secret:".Length)..^7];

    /// <summary>The account, from the ARN.</summary>
    public string AccountId => Arn.Split(':')[4];

    /// <summary>The region, from the ARN.</summary>
    public string Region => Arn.Split(':')[3];
}

/// <summary>A Parameter Store parameter the fake describes (never a value).</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Region">The region.</param>
/// <param name="Name">The name, <c>/prod/db</c> or <c>db</c>.</param>
/// <param name="Type"><c>String</c>, <c>StringList</c> or <c>SecureString</c>.</param>
/// <param name="KeyId">A SecureString's key (null: <c>alias/aws/ssm</c>, the AWS managed key, as SSM then reports it); ignored for the other types.</param>
public sealed record FakeParameter(string AccountId, string Region, string Name, string Type, string? KeyId = null)
{
    /// <summary>The ARN: the name without a hierarchy's leading slash after <c>parameter/</c>.</summary>
    public string Arn => $"arn:aws:ssm:{Region}:{AccountId}:parameter/{Name.TrimStart('/')}";

    /// <summary>The key DescribeParameters reports: a SecureString's, <c>alias/aws/ssm</c> when none was given; null for the other types.</summary>
    public string? ReportedKeyId => Type == "SecureString" ? KeyId ?? "alias/aws/ssm" : null;
}
