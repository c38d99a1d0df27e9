using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CsCheck;
using EcsRoleAuditor.Policy.Catalog;

namespace EcsRoleAuditor.Policy.Tests.Catalog;

/// <summary>Format version 4: text and tables are used in place, and damaged files are refused with a clear error.</summary>
public class CatalogFormatTests
{
    private const string Source = "t@1";

    private static byte[] SmallCatalog(params string[] actionNames)
    {
        using var stream = new MemoryStream();
        CatalogFormat.Write(stream, Source, DateTimeOffset.UnixEpoch,
            [new("aa", "A", [("thing", "arn:thing")], [.. actionNames.Select(n => new ActionDefinition(n, AccessLevel.Read, []))]),
             new("zz", "Z", [("t", "arn:t")], [new ActionDefinition("Z", AccessLevel.List, [("t", true)])])]);
        return stream.ToArray();
    }

    // SmallCatalog("X", "Y"): 2 services, 2 resource types, 3 actions (aa:X, aa:Y, zz:Z), 1 reference (zz:Z's "t", required).
    private static readonly CatalogLayout SmallLayout = new(new CatalogCounts(2, 2, 3, 1, "XYZ".Length + Source.Length + "aaAthingarn:thingzzZtarn:t".Length));

    private static byte[] WithInt(byte[] file, long offset, int value)
    {
        var copy = file.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan((int)offset), value);
        return copy;
    }

    private static byte[] WithByte(byte[] file, long offset, byte value)
    {
        var copy = file.ToArray();
        copy[offset] = value;
        return copy;
    }

    private static ref readonly char FirstChar(ActionCatalog catalog) => ref MemoryMarshal.GetReference(catalog.ActionName(0));

    [Fact]
    public void Embedded_catalog_is_viewed_in_place_so_two_loads_share_its_memory()
    {
        var first = ActionCatalog.LoadEmbedded();
        var second = ActionCatalog.LoadEmbedded();
        using var resource = typeof(ActionCatalog).Assembly.GetManifestResourceStream("EcsRoleAuditor.Policy.Catalog.actions.catalog")!;
        var read = ActionCatalog.Load(resource);

        Assert.True(Unsafe.AreSame(in FirstChar(first), in FirstChar(second)));
        Assert.False(Unsafe.AreSame(in FirstChar(first), in FirstChar(read)));
        Assert.Equal(first.Actions.Select(a => a.FullName), read.Actions.Select(a => a.FullName));
    }

    [Fact]
    public void Loading_the_embedded_catalog_allocates_far_less_than_the_file_holds()
    {
        long fileBytes;
        using (var resource = typeof(ActionCatalog).Assembly.GetManifestResourceStream("EcsRoleAuditor.Policy.Catalog.actions.catalog")!)
        {
            fileBytes = resource.Length;
        }
        ActionCatalog.LoadEmbedded(); // first-call costs (type loading) are not the catalog's

        var before = GC.GetAllocatedBytesForCurrentThread();
        var catalog = ActionCatalog.LoadEmbedded();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Only the services and the empty action slots (~0.32 MB) are allocated; the tables (~0.35 MB of the file, ~0.6 MB
        // once parsed into arrays as version 3 did) and the text (~1.4 MB) are used in place.
        Assert.True(allocated < fileBytes / 4, $"LoadEmbedded allocated {allocated:N0} bytes for a {fileBytes:N0}-byte file.");
        Assert.Equal(21_996, catalog.ActionCount);
    }

    [Fact]
    public void Small_catalog_has_the_layout_its_counts_give()
    {
        Assert.Equal(SmallLayout.FileBytes, SmallCatalog("X", "Y").Length);
    }

    [Fact]
    public void Text_starts_at_a_multiple_of_four_whatever_the_number_of_access_levels()
    {
        // The levels, a byte per action, are the only table whose length is not a multiple of 4: 2 to 5 actions give
        // every padding from 0 to 3.
        string[][] nameLists = [["A"], ["A", "B"], ["A", "B", "C"], ["A", "B", "C", "D"]];
        var paddings = new HashSet<int>();
        foreach (var names in nameLists)
        {
            var file = SmallCatalog(names);
            var catalog = ActionCatalog.Load(new MemoryStream(file));
            var layout = new CatalogLayout(new CatalogCounts(2, 2, names.Length + 1, 1, names.Sum(n => n.Length) + "Z".Length + Source.Length + "aaAthingarn:thingzzZtarn:t".Length));

            Assert.Equal(layout.FileBytes, file.Length);
            Assert.Equal(0, layout.Text % 4);
            Assert.All(file[(int)(layout.Text - layout.PaddingBytes)..(int)layout.Text], b => Assert.Equal(0, b));
            Assert.Equal([.. names.Select(n => "aa:" + n), "zz:Z"], catalog.Actions.Select(a => a.FullName));
            paddings.Add(layout.PaddingBytes);
        }
        Assert.Equal([0, 1, 2, 3], paddings.Order());
    }

    public static TheoryData<string, Func<byte[], byte[]>, string> Damages => new()
    {
        { "wrong magic", f => [(byte)'X', .. f[1..]], "format version" },
        { "format version 3", f => WithByte(f, 4, 3), "format version" },
        { "non-zero byte after the format version", f => WithByte(f, 5, 1), "format version" },
        { "truncated in the header", f => f[..20], "shorter than the header" },
        { "empty file", _ => [], "shorter than the header" },
        { "truncated text", f => f[..^2], "header's counts make" },
        { "odd length", f => f[..^1], "header's counts make" },
        { "extra characters", f => [.. f, 0, 0], "header's counts make" },
        { "more text than there is", f => WithInt(f, 32, 1000), "header's counts make" },
        { "negative count", f => WithInt(f, 24, -1), "negative count" },
        { "counts overflowing an int", f => WithInt(f, 16, int.MaxValue), "header's counts make" },
        { "data date out of range", f => [.. f[..8], .. BitConverter.GetBytes(long.MaxValue), .. f[16..]], "data date" },
        { "source outside the text", f => WithInt(f, 40, 1000), "source" },
        { "service prefix starting beyond the text", f => WithInt(f, SmallLayout.ServicePrefixes, 1000), "service prefix" },
        { "service name ending beyond the text", f => WithInt(f, SmallLayout.ServiceNames + 12, int.MaxValue), "service name" },
        { "resource type ARN with a negative start", f => WithInt(f, SmallLayout.ResourceTypeArns, -2), "resource type ARN" },
        { "action name with a negative length", f => WithInt(f, SmallLayout.ActionNames + 4, -1), "action name" },
        { "services' actions not ending with the action count", f => WithInt(f, SmallLayout.ServiceFirstAction + 8, 2), "not from 0 to 3" },
        { "services' resource types not starting at 0", f => WithInt(f, SmallLayout.ServiceFirstResourceType, 1), "not from 0 to 2" },
        { "actions' references decreasing", f => WithInt(f, SmallLayout.ActionFirstRef + 4, 1), "decrease" },
        { "reference to another service's resource type", f => WithInt(f, SmallLayout.ResourceRefs, 1), "does not define" },
        { "reference beyond all resource types", f => WithInt(f, SmallLayout.ResourceRefs, 5), "does not define" },
        { "negative reference", f => WithInt(f, SmallLayout.ResourceRefs, -1), "does not define" },
        { "unknown access level", f => WithByte(f, SmallLayout.ActionLevels + 1, 9), "Unknown access level 9" },
        { "non-zero padding", f => WithByte(f, SmallLayout.Text - 1, 1), "padding" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void Damaged_catalog_is_rejected_with_a_clear_error(string damage, Func<byte[], byte[]> apply, string expected)
    {
        var file = apply(SmallCatalog("X", "Y"));

        var error = Assert.Throws<InvalidDataException>(() => ActionCatalog.Load(new MemoryStream(file)));
        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"{damage}: {error.Message}");
    }

    [Fact]
    public void Any_damage_either_loads_or_is_an_invalid_data_error()
    {
        var file = SmallCatalog("PutThing", "ListThings", "Get");
        var edit = Gen.Select(Gen.Int[0, file.Length - 1], Gen.Byte);
        Gen.Select(edit.Array[1, 4], Gen.Int[0, file.Length]).Sample((edits, length) =>
        {
            var damaged = file.ToArray();
            foreach (var (position, value) in edits)
            {
                damaged[position] = value;
            }
            LoadsFullyOrIsRefused(damaged[..length]);
        }, iter: 2000);
    }

    [Fact]
    public void Any_damaged_count_offset_or_index_either_loads_or_is_an_invalid_data_error()
    {
        // Whole int32s, small or extreme, written over the header and the tables: the values a byte flip rarely makes.
        var file = SmallCatalog("PutThing", "ListThings", "Get");
        var tablesEnd = (int)new CatalogLayout(new CatalogCounts(2, 2, 4, 1, 0)).ActionLevels;
        var value = Gen.OneOf(Gen.Int[-2, 40], Gen.Const(int.MaxValue), Gen.Const(int.MinValue), Gen.Int);
        var edit = Gen.Select(Gen.Int[0, (tablesEnd / 4) - 1], value);
        edit.Array[1, 3].Sample(edits =>
        {
            var damaged = file.ToArray();
            foreach (var (slot, newValue) in edits)
            {
                BinaryPrimitives.WriteInt32LittleEndian(damaged.AsSpan(slot * 4), newValue);
            }
            LoadsFullyOrIsRefused(damaged);
        }, iter: 3000);
    }

    /// <summary>Loads the file and reads every action, its resource types and a wildcard expansion, or sees it refused.</summary>
    private static void LoadsFullyOrIsRefused(byte[] file)
    {
        ActionCatalog catalog;
        try
        {
            catalog = ActionCatalog.Load(new MemoryStream(file));
        }
        catch (InvalidDataException)
        {
            return;
        }
        Assert.All(catalog.Actions, a => Assert.NotNull(a.FullName));
        Assert.All(catalog.Actions, a => Assert.All(a.ResourceTypes, t => Assert.NotNull(t.Name)));
        Assert.Equal(catalog.ActionCount, catalog.Services.Sum(s => s.ActionCount));
        Assert.InRange(catalog.ExpandUncached("*t*").Count, 0, catalog.ActionCount);
    }
}
