using System.Collections.Immutable;

namespace EcsRoleAuditor.Policy.Catalog;

/// <summary>One AWS action of the catalog.</summary>
public sealed class CatalogAction
{
    /// <summary>Creates an action; <paramref name="id"/> is its dense index in <see cref="ActionCatalog.Actions"/>.</summary>
    public CatalogAction(int id, string service, string name, AccessLevel accessLevel, ImmutableArray<ActionResourceType> resourceTypes)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(name);
        Id = id;
        Service = service;
        Name = name;
        AccessLevel = accessLevel;
        ResourceTypes = resourceTypes.IsDefault ? [] : resourceTypes;
        FullName = string.Concat(service, ":", name);
    }

    /// <summary>Dense index, 0 to <see cref="ActionCatalog.ActionCount"/> - 1.</summary>
    public int Id { get; }
    /// <summary>The lower-case service prefix, e.g. <c>s3</c>.</summary>
    public string Service { get; }
    /// <summary>The action name in AWS's casing, e.g. <c>GetObject</c>.</summary>
    public string Name { get; }
    /// <summary><c>service:Name</c>, e.g. <c>s3:GetObject</c>.</summary>
    public string FullName { get; }
    /// <summary>The access level.</summary>
    public AccessLevel AccessLevel { get; }
    /// <summary>The resource types the action can be scoped to; empty for wildcard-only actions.</summary>
    public ImmutableArray<ActionResourceType> ResourceTypes { get; }
    /// <summary>True when the action supports no resource-level scoping: its only valid <c>Resource</c> is <c>*</c>.</summary>
    public bool IsWildcardOnly => ResourceTypes.IsEmpty;

    /// <inheritdoc/>
    public override string ToString() => FullName;
}
