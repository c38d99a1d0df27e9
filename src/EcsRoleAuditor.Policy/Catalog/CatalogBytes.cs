using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EcsRoleAuditor.Policy.Catalog;

/// <summary>
/// The bytes of a catalog file at an address that does not move while this object lives, so that the catalog's text and
/// tables can be used in place, as UTF-16 characters and fixed-width arrays (<see cref="View{T}"/>), rather than decoded
/// and parsed: either the embedded resource inside the mapped executable image, or a file read into an array on the
/// pinned object heap.
/// </summary>
/// <remarks>
/// The assembly's only unsafe code (hence AllowUnsafeBlocks): the embedded resource is a pointer, and viewing both
/// sources as a pointer lets one <see cref="View{T}"/> serve them.
/// </remarks>
internal sealed unsafe class CatalogBytes
{
    private const int MaxFileBytes = 64 << 20; // guards the allocation against a bogus stream; the real file is ~1.8 MB

    private readonly byte* _start;
    private readonly byte[]? _pinnedCopy; // keeps a read file alive; null when _start points into the executable image

    private CatalogBytes(byte* start, int length, byte[]? pinnedCopy)
    {
        _start = start;
        Length = length;
        _pinnedCopy = pinnedCopy;
    }

    /// <summary>Number of bytes.</summary>
    public int Length { get; }

    /// <summary>The file's bytes.</summary>
    public ReadOnlySpan<byte> Span => new(_start, Length);

    /// <summary>True when the bytes are the embedded resource itself, not a copy.</summary>
    public bool IsInPlace => _pinnedCopy is null;

    /// <summary>
    /// The manifest resource of <paramref name="assembly"/>, used where it lies. Under the JIT and Native AOT alike,
    /// <see cref="Assembly.GetManifestResourceStream(string)"/> returns an <see cref="UnmanagedMemoryStream"/> over the
    /// executable image, which stays mapped for the life of the process (an assembly is never unloaded from the default
    /// context, and one in a collectible context is kept loaded by the live objects of its types, among them the catalog
    /// pointing here). So the catalog reads the image directly: no copy and no fresh pages. The stream object itself is
    /// disposed at once. The address may be odd: Native AOT concatenates all resources into one blob without alignment,
    /// so the tables and the text (at offsets in the file that are multiples of 4) land wherever the other resources'
    /// lengths put them. Misaligned <c>char</c> and <c>int</c> reads are correct on x86, x64 and Arm64 (the condition
    /// <see cref="MemoryMarshal.Cast{TFrom, TTo}(Span{TFrom})"/> documents too); elsewhere an address that is not a
    /// multiple of 4, like any stream that is not in memory, falls back to a copy (the pinned array is aligned).
    /// </summary>
    public static CatalogBytes Embedded(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The action catalog resource {name} is missing from {assembly.GetName().Name}.");
        if (stream is UnmanagedMemoryStream image && image.Length - image.Position <= MaxFileBytes
            && (((nint)image.PositionPointer & 3) == 0 || MisalignedReadsAreSafe))
        {
            return new CatalogBytes(image.PositionPointer, (int)(image.Length - image.Position), pinnedCopy: null);
        }
        return Read(stream);
    }

    private static bool MisalignedReadsAreSafe =>
        RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64 or Architecture.X86;

    /// <summary>Reads the rest of <paramref name="input"/> into a pinned array (pinned so that it is a pointer too).</summary>
    public static CatalogBytes Read(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        byte[] file;
        if (input.CanSeek)
        {
            file = PinnedArray(input.Length - input.Position);
            input.ReadExactly(file);
        }
        else
        {
            using var copy = new MemoryStream();
            input.CopyTo(copy);
            file = PinnedArray(copy.Length);
            copy.GetBuffer().AsSpan(0, file.Length).CopyTo(file);
        }
        // A pinned-object-heap array never moves, so its address is stable for as long as _pinnedCopy holds it.
        return new CatalogBytes((byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(file)), file.Length, file);
    }

    private static byte[] PinnedArray(long length) => length <= MaxFileBytes
        ? GC.AllocateUninitializedArray<byte>((int)length, pinned: true)
        : throw new InvalidDataException($"The action catalog is {length:N0} bytes, larger than any catalog ({MaxFileBytes:N0}).");

    /// <summary>
    /// <paramref name="count"/> values of <typeparamref name="T"/> starting at <paramref name="byteOffset"/>, viewed in
    /// place with no check in release builds: the caller (<see cref="CatalogTables"/>, after <see cref="CatalogFormat"/>
    /// validated the layout against <see cref="Length"/>) keeps the range within the file. A direct pointer span, so that the
    /// lookups' inner loops pay no virtual call. The address may be misaligned for <typeparamref name="T"/> only where
    /// that is safe (see <see cref="Embedded"/>).
    /// </summary>
    public ReadOnlySpan<T> View<T>(int byteOffset, int count)
        where T : unmanaged
    {
        // Checked once, when CatalogFormat validated the layout against the file's length: the views are built on every
        // lookup of the expansion's inner loops, where a check per call cost ~9 % (side by side, CatalogLoadBenchmark).
        Debug.Assert(byteOffset >= 0 && count >= 0 && (long)count * sizeof(T) <= (long)Length - byteOffset, "a catalog view outside the file");
        return new(_start + byteOffset, count);
    }
}
