namespace EcsRoleAuditor.Aws.Api;

/// <summary>The ECS operations the auditor calls; each method is one request. Errors as for <see cref="IIamApi"/>.</summary>
public interface IEcsApi
{
    /// <summary>
    /// DescribeTaskDefinition (with <c>include: ["TAGS"]</c> when asked): the response body as JSON text,
    /// <c>{"taskDefinition":{...},"tags":[...]}</c>, exactly what <c>EcsRoleAuditor.Audit.Inputs.TaskDefinitionReader</c> reads.
    /// </summary>
    Task<string> DescribeTaskDefinitionAsync(string taskDefinition, bool includeTags, CancellationToken cancellationToken);

    /// <summary>ListTaskDefinitions: one page of task definition ARNs.</summary>
    Task<Page<string>> ListTaskDefinitionsAsync(TaskDefinitionListFilter filter, string? nextToken, CancellationToken cancellationToken);

    /// <summary>ListTaskDefinitionFamilies: one page of family names.</summary>
    Task<Page<string>> ListTaskDefinitionFamiliesAsync(string? familyPrefix, TaskDefinitionStatus status, string? nextToken, CancellationToken cancellationToken);
}

/// <summary>The <c>status</c> parameter of the ECS list operations.</summary>
public enum TaskDefinitionStatus
{
    /// <summary><c>ACTIVE</c>.</summary>
    Active,
    /// <summary><c>INACTIVE</c>.</summary>
    Inactive,
    /// <summary><c>ALL</c> (families only).</summary>
    All,
}

/// <summary>Parameters of ListTaskDefinitions.</summary>
/// <param name="FamilyPrefix">Only this family (ECS matches the family exactly, despite the name).</param>
/// <param name="Status">ACTIVE or INACTIVE.</param>
/// <param name="Descending">Sort DESC (newest revision first) instead of ASC.</param>
public sealed record TaskDefinitionListFilter(string? FamilyPrefix = null, TaskDefinitionStatus Status = TaskDefinitionStatus.Active, bool Descending = false);
