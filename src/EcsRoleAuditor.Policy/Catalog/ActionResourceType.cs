namespace EcsRoleAuditor.Policy.Catalog;

/// <summary>A resource type an action can be scoped to.</summary>
/// <param name="Name">The resource type name, e.g. <c>repository</c>.</param>
/// <param name="Required">True when the action always acts on a resource of this type.</param>
/// <param name="ArnTemplate">The ARN template, e.g. <c>arn:${Partition}:ecr:${Region}:${Account}:repository/${RepositoryName}</c>; null when unknown.</param>
public sealed record ActionResourceType(string Name, bool Required, string? ArnTemplate);
