using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace EcsRoleAuditor.Policy.Catalog;

/// <summary>One AWS service of the catalog: its prefix, name, resource types and the contiguous range of its action ids.</summary>
public sealed class CatalogService
{
    private readonly ActionCatalog _catalog;
    private ActionResourceType[]? _resourceTypes;

    internal CatalogService(ActionCatalog catalog, int index, string prefix, string name, int firstActionId, int actionCount, int firstResourceType, int resourceTypeCount)
    {
        _catalog = catalog;
        Index = index;
        Prefix = prefix;
        Name = name;
        FirstActionId = firstActionId;
        ActionCount = actionCount;
        FirstResourceType = firstResourceType;
        ResourceTypeCount = resourceTypeCount;
    }

    /// <summary>The lower-case service prefix, e.g. <c>ecr</c>.</summary>
    public string Prefix { get; }
    /// <summary>The service's name, e.g. <c>Amazon Elastic Container Registry</c>.</summary>
    public string Name { get; }
    /// <summary>The id of the service's first action; its actions are ids <c>FirstActionId</c> to <c>FirstActionId + ActionCount - 1</c>.</summary>
    public int FirstActionId { get; }
    /// <summary>Number of actions of the service.</summary>
    public int ActionCount { get; }

    /// <summary>The resource types the service defines, with ARN templates (<see cref="ActionResourceType.Required"/> is false here).</summary>
    public ImmutableArray<ActionResourceType> ResourceTypes
    {
        get
        {
            // Built on first use: most audits never ask, and the cold start should not pay for 2,300 records.
            var types = Volatile.Read(ref _resourceTypes);
            if (types is null)
            {
                types = new ActionResourceType[ResourceTypeCount];
                for (var i = 0; i < types.Length; i++)
                {
                    types[i] = _catalog.GetResourceType(FirstResourceType + i, required: false);
                }
                types = Interlocked.CompareExchange(ref _resourceTypes, types, null) ?? types;
            }
            return ImmutableCollectionsMarshal.AsImmutableArray(types);
        }
    }

    /// <summary>Position in <see cref="ActionCatalog.Services"/>.</summary>
    internal int Index { get; }
    /// <summary>Index of the service's first resource type in the catalog's resource type table.</summary>
    internal int FirstResourceType { get; }
    /// <summary>Number of resource types the service defines.</summary>
    internal int ResourceTypeCount { get; }

    /// <inheritdoc/>
    public override string ToString() => Prefix;
}
