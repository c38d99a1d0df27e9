using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.Aws.Tests.Resolution;

/// <summary>A test double: an <see cref="IEcsApi"/> that records every interface call (not attempts: the SDK clients count those) in an <see cref="ApiCallCounter"/> before passing it on.</summary>
internal sealed class CountingEcsApi(IEcsApi inner, ApiCallCounter counter) : IEcsApi
{
    /// <summary>The counter the calls are recorded in.</summary>
    public ApiCallCounter Counter { get; } = counter ?? throw new ArgumentNullException(nameof(counter));

    private readonly IEcsApi _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc/>
    public Task<string> DescribeTaskDefinitionAsync(string taskDefinition, bool includeTags, CancellationToken cancellationToken)
    {
        Counter.Record(AwsActions.DescribeTaskDefinition.Action);
        return _inner.DescribeTaskDefinitionAsync(taskDefinition, includeTags, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Page<string>> ListTaskDefinitionsAsync(TaskDefinitionListFilter filter, string? nextToken, CancellationToken cancellationToken)
    {
        Counter.Record(AwsActions.ListTaskDefinitions.Action);
        return _inner.ListTaskDefinitionsAsync(filter, nextToken, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Page<string>> ListTaskDefinitionFamiliesAsync(string? familyPrefix, TaskDefinitionStatus status, string? nextToken, CancellationToken cancellationToken)
    {
        Counter.Record(AwsActions.ListTaskDefinitionFamilies.Action);
        return _inner.ListTaskDefinitionFamiliesAsync(familyPrefix, status, nextToken, cancellationToken);
    }
}
