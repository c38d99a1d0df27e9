using System.Buffers;
using System.Text;
using EcsRoleAuditor.Policy.Matching;

namespace EcsRoleAuditor.Policy.Catalog;

// Expanding action patterns: Expand(pattern) is exactly { a : Wildcard.IsMatch(pattern, a.FullName, ignoreCase: true) },
// computed without visiting every action.
public sealed partial class ActionCatalog
{
    // Cached sets are trimmed to the words they use (a service-scoped pattern keeps a few dozen bytes), so this bound
    // is a few MB in the worst case; ReadOnlyAccess alone has ~1,500 distinct patterns.
    private const int ExpansionCacheLimit = 8192;
    private const int StackBufferChars = 256;

    /// <summary>
    /// The actions an action pattern (<c>s3:Get*</c>, <c>*</c>, <c>iam:*Role*</c>, <c>ec2:?escribe*</c>) matches, ignoring case.
    /// A pattern naming no catalog action (a typo, a brand-new action) yields an empty set. The result is cached per
    /// pattern and shared, hence read-only (<see cref="ActionSet.IsReadOnly"/>; mutating it throws): union it into a set
    /// of your own or <see cref="ActionSet.Clone"/> it.
    /// </summary>
    public ActionSet Expand(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        // Keyed by the exact pattern: folding case in the key would have to agree with Wildcard's case folding for every
        // Unicode character; policies repeat patterns in the same spelling, so exact keys lose almost nothing.
        if (_expansions.TryGetValue(pattern, out var cached))
        {
            return cached;
        }
        var expanded = ExpandUncached(pattern);
        expanded.MakeReadOnly();
        if (Interlocked.Increment(ref _expansionCount) > ExpansionCacheLimit)
        {
            // A flood of distinct patterns must not grow memory without bound; policies repeat a small vocabulary.
            _expansions.Clear();
            Interlocked.Exchange(ref _expansionCount, 1);
        }
        return _expansions.GetOrAdd(pattern, expanded);
    }

    /// <summary>Computes an expansion without the cache: a new set, to be frozen (<see cref="ActionSet.MakeReadOnly"/>) before it is shared.</summary>
    internal ActionSet ExpandUncached(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (IsAsciiLiteral(pattern))
        {
            if (!TryGetActionId(pattern, out var id))
            {
                return ActionSet.ForRange(this, 0, 0);
            }
            var single = ActionSet.ForRange(this, id, 1);
            single.Add(id);
            return single;
        }
        var colon = pattern.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            var all = new ActionSet(this);
            AddMatchesWithoutColon(all, pattern);
            return all;
        }
        // A literal ':' in the pattern can only match the ':' of "service:Name" (neither part contains one), so the two
        // parts match separately; a second ':' then matches nothing, as it should.
        var servicePattern = pattern.AsSpan(0, colon);
        var namePattern = pattern.AsSpan(colon + 1);
        if (!Wildcard.HasWildcard(servicePattern) && Ascii.IsValid(servicePattern))
        {
            if (!_servicesByPrefix.TryGetValue(servicePattern, out var service))
            {
                return ActionSet.ForRange(this, 0, 0);
            }
            var inService = ActionSet.ForRange(this, service.FirstActionId, service.ActionCount);
            AddMatches(inService, service, namePattern);
            return inService;
        }
        var set = new ActionSet(this);
        foreach (var service in _services)
        {
            if (Wildcard.IsMatch(servicePattern, service.Prefix, ignoreCase: true))
            {
                AddMatches(set, service, namePattern);
            }
        }
        return set;
    }

    /// <summary>
    /// True for a pattern without <c>*</c> or <c>?</c> made of ASCII only: it matches at most the one action whose name
    /// equals it ignoring case, which <see cref="TryGetActionId"/> finds (for ASCII its case folding is Wildcard's).
    /// </summary>
    internal static bool IsAsciiLiteral(string pattern) => !Wildcard.HasWildcard(pattern) && Ascii.IsValid(pattern);

    private void AddMatches(ActionSet set, CatalogService service, ReadOnlySpan<char> namePattern)
    {
        var start = service.FirstActionId;
        var end = start + service.ActionCount;
        var wildcardAt = namePattern.IndexOfAny('*', '?');
        var literalPrefix = wildcardAt < 0 ? namePattern : namePattern[..wildcardAt];
        // Names are sorted ignoring case, so those starting with the literal prefix are one contiguous run. Only for
        // ASCII prefixes: there OrdinalIgnoreCase and Wildcard fold case identically (action names are ASCII).
        if (!literalPrefix.IsEmpty && Ascii.IsValid(literalPrefix))
        {
            start = FirstNameNotBelow(start, end, literalPrefix);
            end = FirstNameWithoutPrefix(start, end, literalPrefix);
        }
        if (wildcardAt >= 0 && namePattern[wildcardAt..].TrimStart('*').IsEmpty)
        {
            set.AddRange(start, end - start); // "Get*", "*": the whole run matches
            return;
        }
        for (var id = start; id < end; id++)
        {
            if (Wildcard.IsMatch(namePattern, ActionName(id), ignoreCase: true))
            {
                set.Add(id);
            }
        }
    }

    /// <summary>The first id in [start, end) whose name does not start with the prefix (all before it do).</summary>
    private int FirstNameWithoutPrefix(int start, int end, ReadOnlySpan<char> prefix)
    {
        while (start < end)
        {
            var middle = start + ((end - start) >> 1);
            if (ActionName(middle).StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
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

    // Without ':' the pattern's '*' or '?' must cover the colon, so it is matched against whole "service:Name" strings.
    private void AddMatchesWithoutColon(ActionSet set, string pattern)
    {
        if (pattern.Length > 0 && pattern.AsSpan().TrimStart('*').IsEmpty)
        {
            set.AddRange(0, ActionCount);
            return;
        }
        if (!Wildcard.HasWildcard(pattern))
        {
            return;
        }
        var maxLength = MaxFullNameLength();
        char[]? rented = null;
        var buffer = maxLength <= StackBufferChars ? stackalloc char[StackBufferChars] : (rented = ArrayPool<char>.Shared.Rent(maxLength));
        try
        {
            foreach (var service in _services)
            {
                service.Prefix.CopyTo(buffer);
                buffer[service.Prefix.Length] = ':';
                var nameStart = service.Prefix.Length + 1;
                for (var id = service.FirstActionId; id < service.FirstActionId + service.ActionCount; id++)
                {
                    var name = ActionName(id);
                    name.CopyTo(buffer[nameStart..]);
                    if (Wildcard.IsMatch(pattern, buffer[..(nameStart + name.Length)], ignoreCase: true))
                    {
                        set.Add(id);
                    }
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private int MaxFullNameLength()
    {
        var max = 0;
        foreach (var service in _services)
        {
            for (var id = service.FirstActionId; id < service.FirstActionId + service.ActionCount; id++)
            {
                max = Math.Max(max, service.Prefix.Length + 1 + _tables.ActionNames[id].Length);
            }
        }
        return max;
    }
}
