using System.Numerics;

namespace EcsRoleAuditor.Policy.Catalog;

/// <summary>A set of catalog actions: a bit set over <see cref="CatalogAction.Id"/>. Sets handed out by the catalog are read-only.</summary>
public sealed class ActionSet
{
    private readonly ulong[] _bits;
    private readonly int _size;
    private bool _readOnly;

    /// <summary>An empty set sized for the catalog.</summary>
    public ActionSet(ActionCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _size = catalog.ActionCount;
        _bits = new ulong[(_size + 63) / 64];
    }

    private ActionSet(int size, ulong[] bits)
    {
        _size = size;
        _bits = bits;
    }

    internal static ActionSet Full(ActionCatalog catalog)
    {
        var set = new ActionSet(catalog);
        set.AddRange(0, catalog.ActionCount);
        set.MakeReadOnly();
        return set;
    }

    /// <summary>Number of actions in the set.</summary>
    public int Count
    {
        get
        {
            var count = 0;
            foreach (var word in _bits)
            {
                count += BitOperations.PopCount(word);
            }
            return count;
        }
    }

    /// <summary>True when the set may not be modified (the catalog's cached expansions).</summary>
    public bool IsReadOnly => _readOnly;

    /// <summary>Membership test.</summary>
    public bool Contains(int actionId) => (uint)actionId < (uint)_size && (_bits[actionId >> 6] & (1UL << actionId)) != 0;

    /// <summary>Adds one action.</summary>
    public void Add(int actionId)
    {
        ThrowIfReadOnly();
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)actionId, (uint)_size, nameof(actionId));
        _bits[actionId >> 6] |= 1UL << actionId;
    }

    /// <summary>In-place union.</summary>
    public void UnionWith(ActionSet other)
    {
        ThrowIfReadOnly();
        var o = SameSize(other);
        for (var i = 0; i < _bits.Length; i++)
        {
            _bits[i] |= o[i];
        }
    }

    /// <summary>In-place intersection.</summary>
    public void IntersectWith(ActionSet other)
    {
        ThrowIfReadOnly();
        var o = SameSize(other);
        for (var i = 0; i < _bits.Length; i++)
        {
            _bits[i] &= o[i];
        }
    }

    /// <summary>In-place difference.</summary>
    public void ExceptWith(ActionSet other)
    {
        ThrowIfReadOnly();
        var o = SameSize(other);
        for (var i = 0; i < _bits.Length; i++)
        {
            _bits[i] &= ~o[i];
        }
    }

    /// <summary>True when the two sets share an action.</summary>
    public bool Overlaps(ActionSet other)
    {
        var o = SameSize(other);
        for (var i = 0; i < _bits.Length; i++)
        {
            if ((_bits[i] & o[i]) != 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A new, modifiable set holding every catalog action not in this one (used for <c>NotAction</c>).</summary>
    public ActionSet Complement()
    {
        var bits = new ulong[_bits.Length];
        for (var i = 0; i < bits.Length; i++)
        {
            bits[i] = ~_bits[i];
        }
        var tail = _size & 63;
        if (tail != 0)
        {
            bits[^1] &= (1UL << tail) - 1;
        }
        return new ActionSet(_size, bits);
    }

    /// <summary>A new, modifiable copy.</summary>
    public ActionSet Clone() => new(_size, (ulong[])_bits.Clone());

    /// <summary>The action ids in ascending order.</summary>
    public IEnumerable<int> Ids
    {
        get
        {
            for (var i = 0; i < _bits.Length; i++)
            {
                var word = _bits[i];
                while (word != 0)
                {
                    yield return (i << 6) + BitOperations.TrailingZeroCount(word);
                    word &= word - 1;
                }
            }
        }
    }

    internal void AddRange(int start, int count)
    {
        for (var id = start; id < start + count; id++)
        {
            _bits[id >> 6] |= 1UL << id;
        }
    }

    internal void MakeReadOnly() => _readOnly = true;

    private ulong[] SameSize(ActionSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._size != _size)
        {
            throw new ArgumentException("The action sets belong to different catalogs.", nameof(other));
        }
        return other._bits;
    }

    private void ThrowIfReadOnly()
    {
        if (_readOnly)
        {
            throw new InvalidOperationException("This action set is shared by the catalog and read-only; Clone() it to modify.");
        }
    }
}
