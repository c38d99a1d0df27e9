namespace EcsRoleAuditor.Policy.Catalog;

/// <summary>A run of characters in <see cref="CatalogTables.Text"/>.</summary>
internal readonly record struct TextRange(int Start, int Length);

/// <summary>
/// The catalog as flat arrays over one block of characters, exactly as <see cref="CatalogFormat"/> reads it. Flat tables instead of
/// 22,000 action objects keep the cold start cheap; <see cref="ActionCatalog"/> builds objects on demand.
/// </summary>
internal sealed class CatalogTables
{
    /// <summary>
    /// Every string of the catalog, concatenated; the ranges below point into it. A view of the catalog file's bytes
    /// (for the embedded catalog, of the executable image), not a copy: slice it, and copy out only what must outlive a call.
    /// </summary>
    public required CatalogBytes.CatalogText Text { get; init; }
    /// <summary>Where the data came from.</summary>
    public required string Source { get; init; }
    /// <summary>The date of the data.</summary>
    public required DateTimeOffset DataDate { get; init; }

    /// <summary>Per service, ordered by prefix: its lower-case prefix.</summary>
    public required TextRange[] ServicePrefixes { get; init; }
    /// <summary>Per service: its display name.</summary>
    public required TextRange[] ServiceNames { get; init; }
    /// <summary>Per service plus one: the id of its first action (actions of a service are contiguous).</summary>
    public required int[] ServiceFirstAction { get; init; }
    /// <summary>Per service plus one: the index of its first resource type.</summary>
    public required int[] ServiceFirstResourceType { get; init; }

    /// <summary>Per resource type: its name.</summary>
    public required TextRange[] ResourceTypeNames { get; init; }
    /// <summary>Per resource type: its ARN template (empty when unknown).</summary>
    public required TextRange[] ResourceTypeArns { get; init; }

    /// <summary>Per action: its name; within a service, ordered by <see cref="StringComparer.OrdinalIgnoreCase"/>.</summary>
    public required TextRange[] ActionNames { get; init; }
    /// <summary>Per action: its <see cref="AccessLevel"/>.</summary>
    public required byte[] ActionLevels { get; init; }
    /// <summary>Per action plus one: the index of its first entry in <see cref="ResourceRefs"/>.</summary>
    public required int[] ActionFirstRef { get; init; }
    /// <summary>Per action resource type: <c>(global resource type index &lt;&lt; 1) | required</c>.</summary>
    public required int[] ResourceRefs { get; init; }
}
