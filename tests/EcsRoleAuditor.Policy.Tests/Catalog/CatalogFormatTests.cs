using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CsCheck;
using EcsRoleAuditor.Policy.Catalog;

namespace EcsRoleAuditor.Policy.Tests.Catalog;

/// <summary>Format version 3: the text is used in place, and damaged files are refused with a clear error.</summary>
public class CatalogFormatTests
{
    // Strings of the small catalogs below, so a test can find where the text block starts (it ends the file). Each action
    // of "aa" adds three bytes of structure, so one or two of them decide whether padding is needed; the structure ends
    // with zz:Z's resource reference, 1, so a zero byte before the text is the padding.
    private const string Source = "t@1";

    private static bool IsPadded(byte[] file, string[] actionNames) => file[TextStart(file, actionNames) - 1] == 0;

    private static byte[] SmallCatalog(params string[] actionNames)
    {
        using var stream = new MemoryStream();
        CatalogFormat.Write(stream, Source, DateTimeOffset.UnixEpoch,
            [new("aa", "A", [("thing", "arn:thing")], [.. actionNames.Select(n => new ActionDefinition(n, AccessLevel.Read, []))]),
             new("zz", "Z", [("t", "arn:t")], [new ActionDefinition("Z", AccessLevel.List, [("t", true)])])]);
        return stream.ToArray();
    }

    private static int TextStart(byte[] file, params string[] actionNames)
    {
        var textChars = actionNames.Sum(n => n.Length) + "Z".Length + Source.Length + "aaA".Length + "thingarn:thing".Length + "zzZ".Length + "tarn:t".Length;
        return file.Length - (2 * textChars);
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

        // The flat arrays of the structure and the action slots (~0.75 MB) are allocated; a copy of the text would add
        // ~1.4 MB, almost the file's size.
        Assert.True(allocated < fileBytes * 6 / 10, $"LoadEmbedded allocated {allocated:N0} bytes for a {fileBytes:N0}-byte file.");
        Assert.Equal(21_996, catalog.ActionCount);
    }

    [Fact]
    public void Text_block_starts_at_an_even_offset_whatever_the_structure_length()
    {
        foreach (var names in new[] { new[] { "X" }, ["X", "Y"] })
        {
            var file = SmallCatalog(names);
            var catalog = ActionCatalog.Load(new MemoryStream(file));

            Assert.Equal(0, TextStart(file, names) % 2);
            Assert.Equal([.. names.Select(n => "aa:" + n), "zz:Z"], catalog.Actions.Select(a => a.FullName));
        }
    }

    [Fact]
    public void Padding_before_the_text_is_written_exactly_when_the_structure_ends_at_an_odd_offset()
    {
        string[] one = ["X"], two = ["X", "Y"];

        Assert.NotEqual(IsPadded(SmallCatalog(one), one), IsPadded(SmallCatalog(two), two));
    }

    [Fact]
    public void Misaligned_text_block_is_rejected()
    {
        // Shift the text by one byte: drop the padding where there is one, add a byte where there is none.
        foreach (var names in new[] { new[] { "X" }, ["X", "Y"] })
        {
            var file = SmallCatalog(names);
            var start = TextStart(file, names);
            byte[] shifted = IsPadded(file, names) ? [.. file[..(start - 1)], .. file[start..]] : [.. file[..start], 0, .. file[start..]];

            var error = Assert.Throws<InvalidDataException>(() => ActionCatalog.Load(new MemoryStream(shifted)));
            Assert.Contains("misaligned", error.Message, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, Func<byte[], byte[]>, string> Damages => new()
    {
        { "wrong magic", f => [(byte)'X', .. f[1..]], "format version" },
        { "format version 2", f => [.. f[..4], 2, .. f[5..]], "format version" },
        { "truncated in the header", f => f[..6], "truncated" },
        { "truncated in the structure", f => f[..20], "larger than its data" },
        { "truncated text", f => f[..^2], "header says" },
        { "odd length", f => f[..^1], "odd length" },
        { "extra characters", f => [.. f, 0, 0], "header says" },
        { "text longer than its header says", f => [.. f[..6], (byte)(f[6] + 1), .. f[7..]], "counts do not match" },
        { "action names longer than their header says", f => [.. f[..5], (byte)(f[5] + 1), .. f[6..]], "larger than its data" },
        { "empty file", _ => [], "format version" },
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
            try
            {
                var catalog = ActionCatalog.Load(new MemoryStream(damaged[..length]));
                Assert.All(catalog.Actions, a => Assert.NotNull(a.FullName));
            }
            catch (InvalidDataException)
            {
            }
        }, iter: 2000);
    }
}
