using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace EcsRoleAuditor.Policy.Catalog;

/// <summary>
/// The embedded catalog's file format, written by the generator and read at startup; writer and reader live side by
/// side here so they cannot drift apart.
/// <para>
/// File (format version 4, uncompressed, little-endian; <see cref="CatalogLayout"/> computes the offsets):
/// <code>
/// uint32 magic "ERAC", byte formatVersion, 3 zero bytes
/// int64  data date (Unix milliseconds)
/// int32  serviceCount S, resourceTypeCount T, actionCount A, resourceRefCount R, textChars
/// range  source                                   (a range is int32 start, int32 length, in characters of the text)
/// S x range     service prefixes (services ordered by prefix)
/// S x range     service names
/// S+1 x int32   first action id of each service, then A
/// S+1 x int32   first resource type of each service, then T
/// T x range     resource type names
/// T x range     resource type ARN templates (empty when unknown)
/// A x range     action names (within a service, ordered by name ignoring case)
/// A+1 x int32   first resource reference of each action, then R
/// R x int32     resource references: global resource type index &lt;&lt; 1 | required
/// A x byte      access levels
/// 0-3 zero bytes, so that the text starts at a multiple of 4
/// text: textChars UTF-16LE code units, to the end of the file: all action names (in id order), then all other strings
/// </code>
/// Every table starts at a multiple of 4 bytes.
/// </para>
/// <para>
/// Why this layout: the catalog is loaded on the Lambda's cold start, on machines where every freshly touched page is
/// expensive. Text and tables are stored as .NET uses them, so the loader views them in place
/// (<see cref="CatalogBytes"/>: the embedded resource inside the mapped executable image) and allocates nothing for
/// them; it only validates them, once, in one read-only pass (every range inside the text, every first-index table
/// non-decreasing with its sentinels, every reference to a resource type of its own service, every level known), so
/// that a damaged file is an <see cref="InvalidDataException"/> at load, never an out-of-range read later. The trade is
/// size: the file is ~1.8 MB (iam-data 0.21.202609231: 455 services, 21,996 actions). Version 3 stored the tables as
/// ~100 KB of varints parsed into ~0.6 MB of fresh arrays; version 2 was Brotli-compressed UTF-8 (0.16 MB) decoded
/// into a string; version 1 built 22,000 action objects (~45 ms, 9.7 MB). Sorted action names give case-insensitive
/// lookups by binary search with no per-action dictionary.
/// </para>
/// </summary>
public static class CatalogFormat
{
    private const uint Magic = 0x43415245; // "ERAC" little-endian
    private const byte FormatVersion = 4;
    private const int MaxAccessLevel = (int)AccessLevel.Tagging;

    /// <summary>
    /// Writes the catalog. Services are ordered by prefix and actions by name (ignoring case) whatever the input order,
    /// so the same data always gives the same bytes. Throws <see cref="InvalidDataException"/> on duplicate services,
    /// actions or resource types, and on actions naming a resource type their service does not define.
    /// </summary>
    public static void Write(Stream output, string source, DateTimeOffset dataDate, IReadOnlyList<ServiceDefinition> services)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(services);

        var ordered = services.OrderBy(s => s.Prefix.ToLowerInvariant(), StringComparer.Ordinal).ToList();
        var actionCount = ordered.Sum(s => s.Actions.Count);
        // Action names come first in the text, in id order; every other string after them.
        var actionNameChars = ordered.Sum(s => s.Actions.Sum(a => a.Name.Length));
        var text = new StringBuilder();
        var otherText = new StringBuilder();
        TextRange Other(string value)
        {
            var range = new TextRange(actionNameChars + otherText.Length, value.Length);
            otherText.Append(value);
            return range;
        }

        var sourceRange = Other(source);
        List<TextRange> prefixes = [], names = [], typeNames = [], typeArns = [], actionNames = [];
        List<int> firstAction = [], firstType = [], firstRef = [], refs = [];
        var levels = new List<byte>(actionCount);
        string? previousPrefix = null;
        foreach (var service in ordered)
        {
            var prefix = service.Prefix.ToLowerInvariant();
            if (prefix.Length == 0 || prefix.Contains(':', StringComparison.Ordinal) || prefix == previousPrefix)
            {
                throw new InvalidDataException($"Service prefix '{prefix}' is empty, contains ':' or appears twice.");
            }
            previousPrefix = prefix;
            prefixes.Add(Other(prefix));
            names.Add(Other(service.Name));

            firstType.Add(typeNames.Count);
            var typeIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, arn) in service.ResourceTypes)
            {
                if (!typeIndex.TryAdd(name, typeNames.Count))
                {
                    throw new InvalidDataException($"{prefix} defines resource type '{name}' twice.");
                }
                typeNames.Add(Other(name));
                typeArns.Add(Other(arn ?? ""));
            }

            firstAction.Add(actionNames.Count);
            var actions = service.Actions.OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ToList();
            for (var i = 0; i < actions.Count; i++)
            {
                var action = actions[i];
                if (action.Name.Length == 0 || action.Name.Contains(':', StringComparison.Ordinal)
                    || (i > 0 && string.Equals(actions[i - 1].Name, action.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new InvalidDataException($"{prefix}:{action.Name}: action name is empty, contains ':' or appears twice (ignoring case).");
                }
                actionNames.Add(new TextRange(text.Length, action.Name.Length));
                text.Append(action.Name);
                levels.Add((byte)action.AccessLevel);
                firstRef.Add(refs.Count);
                refs.AddRange(ResourceRefs(prefix, action, typeIndex));
            }
        }
        firstAction.Add(actionNames.Count);
        firstType.Add(typeNames.Count);
        firstRef.Add(refs.Count);
        text.Append(otherText);

        var counts = new CatalogCounts(ordered.Count, typeNames.Count, actionNames.Count, refs.Count, text.Length);
        var layout = new CatalogLayout(counts);
        using var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write([FormatVersion, 0, 0, 0]);
        writer.Write(dataDate.ToUnixTimeMilliseconds());
        foreach (var count in (ReadOnlySpan<int>)[counts.Services, counts.ResourceTypes, counts.Actions, counts.ResourceRefs, counts.TextChars])
        {
            writer.Write(count);
        }
        void WriteRanges(List<TextRange> ranges)
        {
            foreach (var (start, length) in ranges)
            {
                writer.Write(start);
                writer.Write(length);
            }
        }
        void WriteInts(List<int> values)
        {
            foreach (var value in values)
            {
                writer.Write(value);
            }
        }
        WriteRanges([sourceRange]);
        WriteRanges(prefixes);
        WriteRanges(names);
        WriteInts(firstAction);
        WriteInts(firstType);
        WriteRanges(typeNames);
        WriteRanges(typeArns);
        WriteRanges(actionNames);
        WriteInts(firstRef);
        WriteInts(refs);
        writer.Write(CollectionsMarshal.AsSpan(levels));
        writer.Write(new byte[layout.PaddingBytes]);
        // Code unit by code unit, little-endian whatever the machine, and with no encoder to replace a lone surrogate.
        foreach (var chunk in text.GetChunks())
        {
            foreach (var c in chunk.Span)
            {
                writer.Write((ushort)c);
            }
        }
    }

    // An action listing the same resource type twice (a handful do in the source data) is written with it once.
    private static List<int> ResourceRefs(string prefix, ActionDefinition action, Dictionary<string, int> typeIndex)
    {
        var refs = new List<int>(action.ResourceTypes.Count);
        foreach (var (type, required) in action.ResourceTypes)
        {
            if (!typeIndex.TryGetValue(type, out var index))
            {
                throw new InvalidDataException($"{prefix}:{action.Name} names resource type '{type}', which {prefix} does not define.");
            }
            var reference = (index << 1) | (required ? 1 : 0);
            if (refs.Contains(reference))
            {
                continue;
            }
            if (refs.Contains(reference ^ 1))
            {
                throw new InvalidDataException($"{prefix}:{action.Name} lists resource type '{type}' both as required and as optional.");
            }
            refs.Add(reference);
        }
        return refs;
    }

    /// <summary>Reads a catalog written by <see cref="Write"/>; throws <see cref="InvalidDataException"/> when the data is not one.</summary>
    public static ActionCatalog Read(Stream input) => new(ReadTables(CatalogBytes.Read(input)));

    /// <summary>
    /// Validates the file and views its tables in place, with no parse and no allocation beyond the tables object and the
    /// source string: the header's counts must give exactly the file's length, and then one read-only pass checks every
    /// index the tables hold (<see cref="Validate"/>).
    /// </summary>
    internal static CatalogTables ReadTables(CatalogBytes file)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The action catalog's tables and text are little-endian, used in place; a big-endian machine would misread them.");
        }
        var bytes = file.Span;
        if (bytes.Length < CatalogLayout.HeaderBytes || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]) != FormatVersion)
        {
            throw new InvalidDataException($"Not an EcsRoleAuditor action catalog of format version {FormatVersion} (wrong magic or format version, or shorter than the header).");
        }
        var dataDate = ReadDate(BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]));
        var header = MemoryMarshal.Cast<byte, int>(bytes[16..CatalogLayout.HeaderBytes]);
        var counts = new CatalogCounts(header[0], header[1], header[2], header[3], header[4]);
        if (counts.Services < 0 || counts.ResourceTypes < 0 || counts.Actions < 0 || counts.ResourceRefs < 0 || counts.TextChars < 0)
        {
            throw new InvalidDataException("The action catalog's header holds a negative count.");
        }
        var layout = new CatalogLayout(counts);
        if (layout.FileBytes != bytes.Length)
        {
            throw new InvalidDataException($"The action catalog is {bytes.Length:N0} bytes where its header's counts make {layout.FileBytes:N0}: the file is truncated or corrupt.");
        }
        if (bytes.Slice((int)layout.Text - layout.PaddingBytes, layout.PaddingBytes).ContainsAnyExcept((byte)0))
        {
            throw new InvalidDataException("The action catalog's padding before its text is not zero: the file is corrupt.");
        }
        var source = MemoryMarshal.Cast<byte, TextRange>(bytes[36..CatalogLayout.HeaderBytes])[0];
        CheckRanges(new ReadOnlySpan<TextRange>(in source), counts.TextChars, "source");
        var text = file.View<char>((int)layout.Text, counts.TextChars);
        var tables = new CatalogTables(file, counts, layout, new string(text.Slice(source.Start, source.Length)), dataDate);
        Validate(tables, counts);
        return tables;
    }

    /// <summary>Checks every index the tables hold, so that no later lookup can read outside the file.</summary>
    private static void Validate(CatalogTables tables, CatalogCounts counts)
    {
        CheckRanges(tables.ServicePrefixes, counts.TextChars, "service prefix");
        CheckRanges(tables.ServiceNames, counts.TextChars, "service name");
        CheckRanges(tables.ResourceTypeNames, counts.TextChars, "resource type name");
        CheckRanges(tables.ResourceTypeArns, counts.TextChars, "resource type ARN");
        CheckRanges(tables.ActionNames, counts.TextChars, "action name");
        CheckFirstIndexes(tables.ServiceFirstAction, counts.Actions, "services' first actions");
        CheckFirstIndexes(tables.ServiceFirstResourceType, counts.ResourceTypes, "services' first resource types");
        CheckFirstIndexes(tables.ActionFirstRef, counts.ResourceRefs, "actions' first resource references");
        if (tables.ActionLevels.IndexOfAnyExceptInRange((byte)0, (byte)MaxAccessLevel) is var unknown and >= 0)
        {
            throw new InvalidDataException($"Unknown access level {tables.ActionLevels[unknown]} in the action catalog.");
        }

        var firstAction = tables.ServiceFirstAction;
        var firstType = tables.ServiceFirstResourceType;
        var firstRef = tables.ActionFirstRef;
        var refs = tables.ResourceRefs;
        for (var s = 0; s < counts.Services; s++)
        {
            // A reference is (type << 1) | required with type among its own service's: [2 * first, 2 * end).
            uint low = (uint)firstType[s] << 1, width = (uint)(firstType[s + 1] - firstType[s]) << 1;
            foreach (var reference in refs[firstRef[firstAction[s]]..firstRef[firstAction[s + 1]]])
            {
                if ((uint)reference - low >= width)
                {
                    throw new InvalidDataException("An action of the catalog names a resource type its service does not define.");
                }
            }
        }
    }

    private static void CheckRanges(ReadOnlySpan<TextRange> ranges, int textChars, string what)
    {
        foreach (var (start, length) in ranges)
        {
            // As unsigned: a negative start or length is huge, and start + length cannot wrap below 2^32.
            if ((ulong)(uint)start + (uint)length > (uint)textChars)
            {
                throw new InvalidDataException($"A {what} of the action catalog lies outside its text ({start:N0} + {length:N0} of {textChars:N0} characters).");
            }
        }
    }

    /// <summary>A first-index table: starts at 0, never decreases, ends with <paramref name="total"/>.</summary>
    private static void CheckFirstIndexes(ReadOnlySpan<int> firstIndexes, int total, string what)
    {
        var previous = 0;
        foreach (var index in firstIndexes)
        {
            if (index < previous)
            {
                throw new InvalidDataException($"The action catalog's {what} decrease.");
            }
            previous = index;
        }
        if (firstIndexes[0] != 0 || previous != total)
        {
            throw new InvalidDataException($"The action catalog's {what} run from {firstIndexes[0]:N0} to {previous:N0}, not from 0 to {total:N0}.");
        }
    }

    private static DateTimeOffset ReadDate(long milliseconds) =>
        milliseconds >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds() && milliseconds <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : throw new InvalidDataException("The action catalog's data date is out of range.");
}
