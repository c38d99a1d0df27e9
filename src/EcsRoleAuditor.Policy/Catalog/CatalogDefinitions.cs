namespace EcsRoleAuditor.Policy.Catalog;

/// <summary>A service as the catalog generator describes it before writing.</summary>
/// <param name="Prefix">The service prefix (stored lower-case).</param>
/// <param name="Name">The service's name.</param>
/// <param name="ResourceTypes">The resource types the service defines: name and ARN template (null when unknown).</param>
/// <param name="Actions">The service's actions.</param>
public sealed record ServiceDefinition(string Prefix, string Name, IReadOnlyList<(string Name, string? ArnTemplate)> ResourceTypes, IReadOnlyList<ActionDefinition> Actions);

/// <summary>An action as the catalog generator describes it before writing.</summary>
/// <param name="Name">The action name in AWS's casing.</param>
/// <param name="AccessLevel">The access level.</param>
/// <param name="ResourceTypes">The resource types it can be scoped to (names from the service's list) and whether each is required.</param>
public sealed record ActionDefinition(string Name, AccessLevel AccessLevel, IReadOnlyList<(string ResourceType, bool Required)> ResourceTypes);
