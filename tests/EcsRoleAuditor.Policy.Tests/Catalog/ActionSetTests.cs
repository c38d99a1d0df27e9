using CsCheck;
using EcsRoleAuditor.Policy.Catalog;

namespace EcsRoleAuditor.Policy.Tests.Catalog;

public class ActionSetTests
{
    private static readonly ActionCatalog Catalog = ActionCatalog.Default;

    // Shared (read-only, trimmed) expansions and modifiable sets must behave as the same mathematical sets.
    private static readonly Gen<string> Pattern = Gen.OneOf("s3:*", "ec2:Describe*", "iam:*Role*", "*", "zzz:*", "s3:GetObject", "sts:*", "a*:List*", "ecr:*");

    private static readonly Gen<(ActionSet Set, HashSet<int> Model)> AnySet =
        Gen.Frequency(
            (1, Pattern.Select(p => (Catalog.Expand(p), Catalog.Expand(p).Ids.ToHashSet()))),
            (1, Gen.Int[0, Catalog.ActionCount - 1].Array[0, 40].Select(ids =>
            {
                var set = new ActionSet(Catalog);
                foreach (var id in ids)
                {
                    set.Add(id);
                }
                return (set, ids.ToHashSet());
            })));

    [Fact]
    public void Set_operations_agree_with_a_hash_set_model()
    {
        Gen.Select(AnySet, AnySet).Sample((a, b) =>
        {
            Assert.Equal(a.Model.Count, a.Set.Count);
            Assert.Equal(a.Model.Order(), a.Set.Ids);
            Assert.Equal(a.Model.Overlaps(b.Model), a.Set.Overlaps(b.Set));
            Assert.Equal(a.Model.IsSubsetOf(b.Model), a.Set.IsSubsetOf(b.Set));
            Assert.Equal(a.Model.SetEquals(b.Model), a.Set.SetEquals(b.Set));
            Assert.Equal(a.Model.Count == 0, a.Set.IsEmpty);

            var union = a.Set.Clone();
            union.UnionWith(b.Set);
            Assert.Equal(a.Model.Union(b.Model).Order(), union.Ids);

            var intersection = a.Set.Clone();
            intersection.IntersectWith(b.Set);
            Assert.Equal(a.Model.Intersect(b.Model).Order(), intersection.Ids);

            var difference = a.Set.Clone();
            difference.ExceptWith(b.Set);
            Assert.Equal(a.Model.Except(b.Model).Order(), difference.Ids);

            var complement = a.Set.Complement();
            Assert.Equal(Catalog.ActionCount - a.Model.Count, complement.Count);
            Assert.False(complement.Overlaps(a.Set));
        }, iter: 300);
    }

    [Fact]
    public void Expansions_cannot_be_modified_by_callers()
    {
        var shared = Catalog.Expand("s3:Get*");
        var before = shared.Count;

        Assert.True(shared.IsReadOnly);
        Assert.Throws<InvalidOperationException>(() => shared.Add(0));
        Assert.Throws<InvalidOperationException>(() => shared.UnionWith(Catalog.All));
        Assert.Throws<InvalidOperationException>(() => shared.ExceptWith(shared));
        Assert.Throws<InvalidOperationException>(() => Catalog.All.Remove(0));
        var copy = shared.Clone();
        copy.UnionWith(Catalog.All);

        Assert.Equal(before, Catalog.Expand("s3:Get*").Count);
        Assert.Same(shared, Catalog.Expand("s3:Get*"));
    }

    [Fact]
    public void Sets_of_different_catalogs_do_not_mix()
    {
        var other = ActionCatalog.LoadEmbedded();
        Assert.Throws<ArgumentException>(() => new ActionSet(Catalog).UnionWith(other.All));
    }

    [Fact]
    public void Actions_enumerates_the_catalog_actions_in_id_order()
    {
        var set = Catalog.Expand("sts:Assume*");
        Assert.Equal(set.Ids, set.Actions.Select(a => a.Id));
        Assert.Contains("sts:AssumeRole", set.Actions.Select(a => a.FullName));
    }
}
