namespace EcsRoleAuditor.Aws.Resolution;

/// <summary>
/// One AWS operation the auditor calls. The clients send <see cref="Name"/>; counts, failure descriptions and the
/// function's least-privilege policy name it by <see cref="Action"/>, because that is what a person must grant.
/// The operations are the fields of <see cref="AwsActions"/>.
/// </summary>
/// <param name="Service">The service's IAM prefix, e.g. <c>iam</c>.</param>
/// <param name="Name">The operation as the API names it, e.g. <c>GetRole</c>.</param>
/// <param name="Paginated">True when the answer comes in pages (IAM <c>Marker</c>, ECS <c>nextToken</c>, DynamoDB <c>LastEvaluatedKey</c>).</param>
/// <param name="ActionName">The action's name in IAM when it is not the operation's (SQS <c>SendMessageBatch</c> is granted by <c>sqs:SendMessage</c>).</param>
public sealed record AwsOperation(string Service, string Name, bool Paginated, string? ActionName = null)
{
    /// <summary>The IAM action that permits the call, e.g. <c>iam:GetRole</c>.</summary>
    public string Action => $"{Service}:{ActionName ?? Name}";

    /// <summary>The IAM action, as messages print it.</summary>
    public override string ToString() => Action;
}
