namespace EcsRoleAuditor.Policy.Catalog;

/// <summary>A run of characters in <see cref="CatalogTables.Text"/>; stored in the file as two little-endian int32s, this layout.</summary>
internal readonly record struct TextRange(int Start, int Length);

/// <summary>The numbers of things in a catalog, from which every table's place in the file follows.</summary>
internal readonly record struct CatalogCounts(int Services, int ResourceTypes, int Actions, int ResourceRefs, int TextChars);

/// <summary>
/// Where each table of a format version 4 file lies (<see cref="CatalogFormat"/>): computed from the counts alone, by the
/// writer and the reader alike, in <see langword="long"/> so that bogus counts cannot overflow into a plausible size.
/// Every table starts at a multiple of 4 bytes.
/// </summary>
internal readonly struct CatalogLayout
{
    /// <summary>Bytes of the fixed header before the first table.</summary>
    public const int HeaderBytes = 44;

    public CatalogLayout(CatalogCounts counts)
    {
        long offset = HeaderBytes;
        long Next(long bytes)
        {
            var start = offset;
            offset += bytes;
            return start;
        }
        const int RangeBytes = 8;
        ServicePrefixes = Next((long)counts.Services * RangeBytes);
        ServiceNames = Next((long)counts.Services * RangeBytes);
        ServiceFirstAction = Next(((long)counts.Services + 1) * 4);
        ServiceFirstResourceType = Next(((long)counts.Services + 1) * 4);
        ResourceTypeNames = Next((long)counts.ResourceTypes * RangeBytes);
        ResourceTypeArns = Next((long)counts.ResourceTypes * RangeBytes);
        ActionNames = Next((long)counts.Actions * RangeBytes);
        ActionFirstRef = Next(((long)counts.Actions + 1) * 4);
        ResourceRefs = Next((long)counts.ResourceRefs * 4);
        ActionLevels = Next(counts.Actions);
        PaddingBytes = (int)(-offset & 3);
        Text = Next(PaddingBytes + ((long)counts.TextChars * 2)) + PaddingBytes;
        FileBytes = offset;
    }

    public long ServicePrefixes { get; }
    public long ServiceNames { get; }
    public long ServiceFirstAction { get; }
    public long ServiceFirstResourceType { get; }
    public long ResourceTypeNames { get; }
    public long ResourceTypeArns { get; }
    public long ActionNames { get; }
    public long ActionFirstRef { get; }
    public long ResourceRefs { get; }
    public long ActionLevels { get; }
    /// <summary>Zero bytes after the levels, so that the text starts at a multiple of 4.</summary>
    public int PaddingBytes { get; }
    public long Text { get; }
    public long FileBytes { get; }
}

/// <summary>
/// The catalog as flat tables over one block of characters, all of them views of the catalog file's bytes (for the
/// embedded catalog, of the executable image): nothing is parsed or copied. Flat tables instead of 22,000 action
/// objects keep the cold start cheap; <see cref="ActionCatalog"/> builds objects on demand. The views are direct
/// pointer spans (no virtual call), built afresh on each access; <see cref="CatalogFormat"/> has validated every
/// index in them before this object is handed out.
/// </summary>
internal sealed class CatalogTables
{
    private readonly CatalogBytes _file;
    private readonly CatalogCounts _counts;
    private readonly int _servicePrefixes, _serviceNames, _serviceFirstAction, _serviceFirstResourceType;
    private readonly int _resourceTypeNames, _resourceTypeArns, _actionNames, _actionFirstRef, _resourceRefs, _actionLevels, _text;

    /// <summary>Views <paramref name="file"/>, whose length the caller has checked to be <paramref name="layout"/>'s file size.</summary>
    public CatalogTables(CatalogBytes file, CatalogCounts counts, CatalogLayout layout, string source, DateTimeOffset dataDate)
    {
        _file = file;
        _counts = counts;
        Source = source;
        DataDate = dataDate;
        // All offsets are below the file length, an int, once the file size matched.
        _servicePrefixes = (int)layout.ServicePrefixes;
        _serviceNames = (int)layout.ServiceNames;
        _serviceFirstAction = (int)layout.ServiceFirstAction;
        _serviceFirstResourceType = (int)layout.ServiceFirstResourceType;
        _resourceTypeNames = (int)layout.ResourceTypeNames;
        _resourceTypeArns = (int)layout.ResourceTypeArns;
        _actionNames = (int)layout.ActionNames;
        _actionFirstRef = (int)layout.ActionFirstRef;
        _resourceRefs = (int)layout.ResourceRefs;
        _actionLevels = (int)layout.ActionLevels;
        _text = (int)layout.Text;
    }

    /// <summary>
    /// Every string of the catalog, concatenated; the ranges below point into it. A view, not a copy: slice it, and copy
    /// out only what must outlive a call.
    /// </summary>
    public ReadOnlySpan<char> Text => _file.View<char>(_text, _counts.TextChars);
    /// <summary>Where the data came from.</summary>
    public string Source { get; }
    /// <summary>The date of the data.</summary>
    public DateTimeOffset DataDate { get; }

    /// <summary>Per service, ordered by prefix: its lower-case prefix.</summary>
    public ReadOnlySpan<TextRange> ServicePrefixes => _file.View<TextRange>(_servicePrefixes, _counts.Services);
    /// <summary>Per service: its display name.</summary>
    public ReadOnlySpan<TextRange> ServiceNames => _file.View<TextRange>(_serviceNames, _counts.Services);
    /// <summary>Per service plus one: the id of its first action (actions of a service are contiguous).</summary>
    public ReadOnlySpan<int> ServiceFirstAction => _file.View<int>(_serviceFirstAction, _counts.Services + 1);
    /// <summary>Per service plus one: the index of its first resource type.</summary>
    public ReadOnlySpan<int> ServiceFirstResourceType => _file.View<int>(_serviceFirstResourceType, _counts.Services + 1);

    /// <summary>Per resource type: its name.</summary>
    public ReadOnlySpan<TextRange> ResourceTypeNames => _file.View<TextRange>(_resourceTypeNames, _counts.ResourceTypes);
    /// <summary>Per resource type: its ARN template (empty when unknown).</summary>
    public ReadOnlySpan<TextRange> ResourceTypeArns => _file.View<TextRange>(_resourceTypeArns, _counts.ResourceTypes);

    /// <summary>Per action: its name; within a service, ordered by <see cref="StringComparer.OrdinalIgnoreCase"/>.</summary>
    public ReadOnlySpan<TextRange> ActionNames => _file.View<TextRange>(_actionNames, _counts.Actions);
    /// <summary>Per action: its <see cref="AccessLevel"/>.</summary>
    public ReadOnlySpan<byte> ActionLevels => _file.View<byte>(_actionLevels, _counts.Actions);
    /// <summary>Per action plus one: the index of its first entry in <see cref="ResourceRefs"/>.</summary>
    public ReadOnlySpan<int> ActionFirstRef => _file.View<int>(_actionFirstRef, _counts.Actions + 1);
    /// <summary>Per action resource type: <c>(global resource type index &lt;&lt; 1) | required</c>.</summary>
    public ReadOnlySpan<int> ResourceRefs => _file.View<int>(_resourceRefs, _counts.ResourceRefs);
}
