using System.Collections;

namespace EcsRoleAuditor.Policy.Catalog;

/// <summary><see cref="ActionCatalog.Actions"/>: a list view that creates each <see cref="CatalogAction"/> on first access.</summary>
internal sealed class CatalogActionList(ActionCatalog catalog) : IReadOnlyList<CatalogAction>
{
    public CatalogAction this[int index] => catalog.GetAction(index);

    public int Count => catalog.ActionCount;

    public IEnumerator<CatalogAction> GetEnumerator()
    {
        for (var id = 0; id < catalog.ActionCount; id++)
        {
            yield return catalog.GetAction(id);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
