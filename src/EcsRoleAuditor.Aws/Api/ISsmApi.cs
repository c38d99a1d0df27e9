namespace EcsRoleAuditor.Aws.Api;

/// <summary>The Systems Manager operation <c>fix --live</c> calls; one request. Errors as for <see cref="IIamApi"/> (<c>AccessDeniedException</c>, throttling).</summary>
internal interface ISsmApi
{
    /// <summary>
    /// DescribeParameters with the filter <c>Name Equals</c> <paramref name="names"/> (1 to <see cref="MaxNames"/>): one
    /// page of the caller's account's parameters of those names, in the client's region. A page may hold fewer than asked,
    /// none at all, and still give a next token ("DescribeParameters", AWS Systems Manager API Reference: results "on a
    /// best-effort basis"); follow it until there is none.
    /// </summary>
    Task<Page<ParameterDescription>> DescribeParametersAsync(IReadOnlyList<string> names, string? nextToken, CancellationToken cancellationToken);

    /// <summary>The most values one <c>ParameterStringFilter</c> takes, and the most <c>MaxResults</c> (AWS Systems Manager API Reference, "ParameterStringFilter", "DescribeParameters": 50 each).</summary>
    const int MaxNames = 50;
}

/// <summary>A parameter as DescribeParameters describes it (its metadata, never its value).</summary>
/// <param name="Name">The name, <c>/prod/db</c> or <c>db</c>.</param>
/// <param name="Type"><c>String</c>, <c>StringList</c> or <c>SecureString</c>, or null when the answer held none.</param>
/// <param name="KeyId">The KMS key of a SecureString parameter as SSM names it (<c>alias/aws/ssm</c> for the AWS managed key), or null.</param>
internal sealed record ParameterDescription(string Name, string? Type, string? KeyId);
