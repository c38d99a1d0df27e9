using System.Numerics;

namespace EcsRoleAuditor.Policy.Catalog;

/// <summary>
/// A set of catalog actions: a bit set over <see cref="CatalogAction.Id"/>. Sets you create are modifiable; sets the
/// catalog hands out (<see cref="ActionCatalog.Expand"/>, <see cref="ActionCatalog.All"/>) are shared and read-only:
/// modifying one throws <see cref="InvalidOperationException"/>, so no caller can corrupt another's expansion.
/// Not thread-safe for concurrent modification; read-only sets may be read from any thread.
/// </summary>
public sealed class ActionSet
{
    private readonly ActionCatalog _catalog;
    private readonly int _size;
    // The words [_firstWord, _firstWord + _words.Length) of the bit set; every other word is zero. Modifiable sets hold
    // all words; read-only sets are trimmed to their non-zero span, since an expansion usually lies within one service
    // (a few words instead of ~350) and the catalog caches thousands of them.
    private ulong[] _words;
    private int _firstWord;
    private bool _readOnly;

    /// <summary>An empty set sized for the catalog.</summary>
    public ActionSet(ActionCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
        _size = catalog.ActionCount;
        _words = new ulong[WordCount(_size)];
    }

    /// <summary>
    /// An empty set that can only hold ids in [firstId, firstId + count): the expansion of a single-service pattern
    /// needs a few words, not the whole catalog. Internal, and frozen before it is handed out, because the public
    /// mutators of a modifiable set may touch any id.
    /// </summary>
    internal static ActionSet ForRange(ActionCatalog catalog, int firstId, int count)
    {
        var firstWord = firstId >> 6;
        var words = count == 0 ? [] : new ulong[((firstId + count - 1) >> 6) - firstWord + 1];
        return new ActionSet(catalog, words) { _firstWord = count == 0 ? 0 : firstWord };
    }

    private ActionSet(ActionCatalog catalog, ulong[] words)
    {
        _catalog = catalog;
        _size = catalog.ActionCount;
        _words = words;
    }

    internal static ActionSet Full(ActionCatalog catalog)
    {
        var set = new ActionSet(catalog);
        set.AddRange(0, catalog.ActionCount);
        set.MakeReadOnly();
        return set;
    }

    /// <summary>The catalog whose action ids this set holds.</summary>
    public ActionCatalog Catalog => _catalog;

    /// <summary>Number of actions in the set.</summary>
    public int Count
    {
        get
        {
            var count = 0;
            foreach (var word in _words)
            {
                count += BitOperations.PopCount(word);
            }
            return count;
        }
    }

    /// <summary>True when the set holds no action.</summary>
    public bool IsEmpty => Array.TrueForAll(_words, word => word == 0);

    /// <summary>True when the set may not be modified (the catalog's shared sets).</summary>
    public bool IsReadOnly => _readOnly;

    /// <summary>Membership test; false for ids outside the catalog.</summary>
    public bool Contains(int actionId)
    {
        if ((uint)actionId >= (uint)_size)
        {
            return false;
        }
        var index = (actionId >> 6) - _firstWord;
        return (uint)index < (uint)_words.Length && (_words[index] & (1UL << actionId)) != 0;
    }

    /// <summary>Adds one action.</summary>
    public void Add(int actionId)
    {
        ThrowIfReadOnly();
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)actionId, (uint)_size, nameof(actionId));
        _words[(actionId >> 6) - _firstWord] |= 1UL << actionId;
    }

    /// <summary>Removes one action.</summary>
    public void Remove(int actionId)
    {
        ThrowIfReadOnly();
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)actionId, (uint)_size, nameof(actionId));
        _words[(actionId >> 6) - _firstWord] &= ~(1UL << actionId);
    }

    /// <summary>In-place union.</summary>
    public void UnionWith(ActionSet other)
    {
        ThrowIfReadOnly();
        CheckSameCatalog(other);
        var target = _words.AsSpan(other._firstWord, other._words.Length);
        for (var i = 0; i < target.Length; i++)
        {
            target[i] |= other._words[i];
        }
    }

    /// <summary>In-place intersection.</summary>
    public void IntersectWith(ActionSet other)
    {
        ThrowIfReadOnly();
        CheckSameCatalog(other);
        for (var i = 0; i < _words.Length; i++)
        {
            _words[i] &= other.Word(i);
        }
    }

    /// <summary>In-place difference.</summary>
    public void ExceptWith(ActionSet other)
    {
        ThrowIfReadOnly();
        CheckSameCatalog(other);
        var target = _words.AsSpan(other._firstWord, other._words.Length);
        for (var i = 0; i < target.Length; i++)
        {
            target[i] &= ~other._words[i];
        }
    }

    /// <summary>True when the two sets share an action.</summary>
    public bool Overlaps(ActionSet other)
    {
        CheckSameCatalog(other);
        for (var i = 0; i < other._words.Length; i++)
        {
            if ((other._words[i] & Word(other._firstWord + i)) != 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when every action of this set is in <paramref name="other"/>.</summary>
    public bool IsSubsetOf(ActionSet other)
    {
        CheckSameCatalog(other);
        for (var i = 0; i < _words.Length; i++)
        {
            if ((_words[i] & ~other.Word(_firstWord + i)) != 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>True when both sets hold the same actions.</summary>
    public bool SetEquals(ActionSet other)
    {
        CheckSameCatalog(other);
        for (var i = 0; i < WordCount(_size); i++)
        {
            if (Word(i) != other.Word(i))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A new, modifiable set holding every catalog action not in this one (used for <c>NotAction</c>).</summary>
    public ActionSet Complement()
    {
        var words = new ulong[WordCount(_size)];
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = ~Word(i);
        }
        var tail = _size & 63;
        if (tail != 0)
        {
            words[^1] &= (1UL << tail) - 1;
        }
        return new ActionSet(_catalog, words);
    }

    /// <summary>A new, modifiable copy.</summary>
    public ActionSet Clone()
    {
        var words = new ulong[WordCount(_size)];
        _words.CopyTo(words, _firstWord);
        return new ActionSet(_catalog, words);
    }

    /// <summary>The action ids in ascending order.</summary>
    public IEnumerable<int> Ids
    {
        get
        {
            for (var i = 0; i < _words.Length; i++)
            {
                var word = _words[i];
                while (word != 0)
                {
                    yield return ((_firstWord + i) << 6) + BitOperations.TrailingZeroCount(word);
                    word &= word - 1;
                }
            }
        }
    }

    /// <summary>The actions in ascending id order (services by prefix, then names).</summary>
    public IEnumerable<CatalogAction> Actions => Ids.Select(_catalog.GetAction);

    /// <summary>Adds the ids [start, start + count), a word at a time.</summary>
    internal void AddRange(int start, int count)
    {
        ThrowIfReadOnly();
        var end = start + count;
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, _size, nameof(count));
        while (start < end)
        {
            var bit = start & 63;
            var bits = Math.Min(64 - bit, end - start);
            var mask = bits == 64 ? ulong.MaxValue : ((1UL << bits) - 1) << bit;
            _words[(start >> 6) - _firstWord] |= mask;
            start += bits;
        }
    }

    /// <summary>Freezes the set and trims its storage to its non-zero words; call before sharing it.</summary>
    internal void MakeReadOnly()
    {
        if (_readOnly)
        {
            return;
        }
        var first = Array.FindIndex(_words, word => word != 0);
        var last = Array.FindLastIndex(_words, word => word != 0);
        if (first < 0)
        {
            _words = [];
            _firstWord = 0;
        }
        else if (first > 0 || last < _words.Length - 1)
        {
            _words = _words[first..(last + 1)];
            _firstWord += first;
        }
        _readOnly = true;
    }

    private static int WordCount(int size) => (size + 63) >> 6;

    private ulong Word(int index)
    {
        var local = index - _firstWord;
        return (uint)local < (uint)_words.Length ? _words[local] : 0;
    }

    private void CheckSameCatalog(ActionSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!ReferenceEquals(other._catalog, _catalog))
        {
            throw new ArgumentException("The action sets belong to different catalogs.", nameof(other));
        }
    }

    private void ThrowIfReadOnly()
    {
        if (_readOnly)
        {
            throw new InvalidOperationException("This action set is shared by the catalog and read-only; Clone() it or union it into your own set.");
        }
    }
}
