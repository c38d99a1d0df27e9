using System.Buffers.Binary;
using System.Text;

namespace EcsRoleAuditor.Policy.Catalog;

/// <summary>
/// The embedded catalog's file format, written by the generator and read at startup; writer and reader live side by
/// side here so they cannot drift apart.
/// <para>
/// File (format version 3, uncompressed, little-endian):
/// <code>
/// magic "ERAC", byte formatVersion
/// varint actionNameChars, textChars
/// int64  data date (Unix milliseconds)
/// varint serviceCount, resourceTypeCount, actionCount, resourceRefCount   (totals, so the reader allocates once)
/// string source
/// per service (ordered by prefix):  string prefix, string name,
///     varint n, n x (string resourceTypeName, string arnTemplate),
///     varint m, m x action (ordered by name, ignoring case):
///         varint nameLength, byte accessLevel, varint k, k x varint (resourceTypeIndexInService &lt;&lt; 1 | required)
/// byte 0 if needed, so that the text starts at an even offset
/// text: textChars UTF-16LE code units, to the end of the file: all action names (in id order), then all other strings
/// </code>
/// A "string" is a varint char length; its characters are the next ones of the text's second part. Varints are
/// unsigned LEB128 (7 bits a byte).
/// </para>
/// <para>
/// Why this layout: the catalog is loaded on the Lambda's cold start, on machines where every freshly touched page is
/// expensive. The text is stored as the characters .NET uses, so the loader views it in place
/// (<see cref="CatalogBytes"/>: the embedded resource inside the mapped executable image) instead of decompressing the
/// file and decoding 0.7 MB of UTF-8 into a 1.4 MB string; only the structure, ~100 KB of varints, is parsed, in one
/// pass into flat arrays. The trade is size: the file is ~1.46 MB (iam-data 0.21.202609231: 455 services, 21,996
/// actions) where version 2, Brotli-compressed UTF-8, was 0.16 MB, and loading it is several times cheaper. Version 1
/// built 22,000 action objects (~45 ms, 9.7 MB). Sorted action names give case-insensitive lookups by binary search
/// with no per-action dictionary.
/// </para>
/// </summary>
public static class CatalogFormat
{
    private const uint Magic = 0x43415245; // "ERAC" little-endian
    private const byte FormatVersion = 3;
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

        var actionNames = new StringBuilder();
        var otherText = new StringBuilder();
        var structure = new MemoryStream();
        using var writer = new BinaryWriter(structure, Encoding.UTF8, leaveOpen: true);
        void WriteString(string value)
        {
            writer.Write7BitEncodedInt(value.Length);
            otherText.Append(value);
        }

        var ordered = services.OrderBy(s => s.Prefix.ToLowerInvariant(), StringComparer.Ordinal).ToList();
        int resourceTypeCount = 0, actionCount = 0, refCount = 0;
        WriteString(source);
        string? previousPrefix = null;
        foreach (var service in ordered)
        {
            var prefix = service.Prefix.ToLowerInvariant();
            if (prefix.Length == 0 || prefix.Contains(':', StringComparison.Ordinal) || prefix == previousPrefix)
            {
                throw new InvalidDataException($"Service prefix '{prefix}' is empty, contains ':' or appears twice.");
            }
            previousPrefix = prefix;
            WriteString(prefix);
            WriteString(service.Name);

            var typeIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            writer.Write7BitEncodedInt(service.ResourceTypes.Count);
            foreach (var (name, arn) in service.ResourceTypes)
            {
                if (!typeIndex.TryAdd(name, typeIndex.Count))
                {
                    throw new InvalidDataException($"{prefix} defines resource type '{name}' twice.");
                }
                WriteString(name);
                WriteString(arn ?? "");
            }
            resourceTypeCount += typeIndex.Count;

            var actions = service.Actions.OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ToList();
            writer.Write7BitEncodedInt(actions.Count);
            for (var i = 0; i < actions.Count; i++)
            {
                var action = actions[i];
                if (action.Name.Length == 0 || action.Name.Contains(':', StringComparison.Ordinal)
                    || (i > 0 && string.Equals(actions[i - 1].Name, action.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new InvalidDataException($"{prefix}:{action.Name}: action name is empty, contains ':' or appears twice (ignoring case).");
                }
                writer.Write7BitEncodedInt(action.Name.Length);
                actionNames.Append(action.Name);
                writer.Write((byte)action.AccessLevel);
                var refs = ResourceRefs(prefix, action, typeIndex);
                writer.Write7BitEncodedInt(refs.Count);
                foreach (var reference in refs)
                {
                    writer.Write7BitEncodedInt(reference);
                }
                refCount += refs.Count;
            }
            actionCount += actions.Count;
        }
        writer.Flush();

        // Assembled in memory first: the text's alignment is relative to the start of the file, not of the stream.
        var text = actionNames.ToString() + otherText.ToString();
        using var file = new MemoryStream();
        using (var head = new BinaryWriter(file, Encoding.UTF8, leaveOpen: true))
        {
            head.Write(Magic);
            head.Write(FormatVersion);
            head.Write7BitEncodedInt(actionNames.Length);
            head.Write7BitEncodedInt(text.Length);
            head.Write(dataDate.ToUnixTimeMilliseconds());
            head.Write7BitEncodedInt(ordered.Count);
            head.Write7BitEncodedInt(resourceTypeCount);
            head.Write7BitEncodedInt(actionCount);
            head.Write7BitEncodedInt(refCount);
            head.Write(structure.GetBuffer(), 0, (int)structure.Length);
            if ((file.Length & 1) != 0)
            {
                head.Write((byte)0);
            }
            // Code unit by code unit, little-endian whatever the machine, and with no encoder to replace a lone surrogate.
            foreach (var c in text)
            {
                head.Write((ushort)c);
            }
        }
        file.WriteTo(output);
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

    /// <summary>Parses the structure into flat arrays; the text stays where it is, in <paramref name="file"/>.</summary>
    internal static CatalogTables ReadTables(CatalogBytes file)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The action catalog's text is UTF-16LE used in place; a big-endian machine would misread it.");
        }
        var bytes = file.Span;
        var reader = new SpanReader(bytes);
        if (bytes.Length < 5 || reader.ReadUInt32() != Magic || reader.ReadByte() != FormatVersion)
        {
            throw new InvalidDataException($"Not an EcsRoleAuditor action catalog of format version {FormatVersion} (wrong magic or format version).");
        }
        var actionNameChars = reader.ReadCount(bytes.Length / 2);
        var textChars = reader.ReadCount(bytes.Length / 2);
        if (actionNameChars > textChars)
        {
            throw new InvalidDataException("The action catalog's text block is shorter than its action names.");
        }
        var dataDate = ReadDate(ref reader);
        var serviceCount = reader.ReadCount(bytes.Length);
        var resourceTypeCount = reader.ReadCount(bytes.Length);
        var actionCount = reader.ReadCount(bytes.Length);
        var refCount = reader.ReadCount(bytes.Length);

        var nameCursor = 0;
        var otherCursor = actionNameChars;
        TextRange NextString(ref SpanReader r)
        {
            var length = r.ReadCount(textChars - otherCursor);
            var range = new TextRange(otherCursor, length);
            otherCursor += length;
            return range;
        }

        var source = NextString(ref reader);
        var prefixes = new TextRange[serviceCount];
        var names = new TextRange[serviceCount];
        var firstAction = new int[serviceCount + 1];
        var firstType = new int[serviceCount + 1];
        var typeNames = new TextRange[resourceTypeCount];
        var typeArns = new TextRange[resourceTypeCount];
        var actionNames = new TextRange[actionCount];
        var levels = new byte[actionCount];
        var firstRef = new int[actionCount + 1];
        var refs = new int[refCount];
        int type = 0, action = 0, reference = 0;
        for (var s = 0; s < serviceCount; s++)
        {
            prefixes[s] = NextString(ref reader);
            names[s] = NextString(ref reader);
            firstType[s] = type;
            var types = reader.ReadCount(resourceTypeCount - type);
            for (var t = 0; t < types; t++, type++)
            {
                typeNames[type] = NextString(ref reader);
                typeArns[type] = NextString(ref reader);
            }
            firstAction[s] = action;
            var actions = reader.ReadCount(actionCount - action);
            for (var a = 0; a < actions; a++, action++)
            {
                var length = reader.ReadCount(actionNameChars - nameCursor);
                actionNames[action] = new TextRange(nameCursor, length);
                nameCursor += length;
                var level = reader.ReadByte();
                levels[action] = level <= MaxAccessLevel ? level : throw new InvalidDataException($"Unknown access level {level} in the action catalog.");
                firstRef[action] = reference;
                var count = reader.ReadCount(refCount - reference);
                for (var r = 0; r < count; r++, reference++)
                {
                    var local = reader.ReadCount(int.MaxValue);
                    refs[reference] = (local >> 1) < types
                        ? ((firstType[s] + (local >> 1)) << 1) | (local & 1)
                        : throw new InvalidDataException("An action of the catalog names a resource type its service does not define.");
                }
            }
        }
        firstAction[serviceCount] = action;
        firstType[serviceCount] = type;
        firstRef[actionCount] = reference;
        if (action != actionCount || type != resourceTypeCount || reference != refCount
            || nameCursor != actionNameChars || otherCursor != textChars)
        {
            throw new InvalidDataException("The action catalog's counts do not match its content.");
        }

        var text = file.Chars(TextOffset(ref reader, textChars), textChars);
        return new CatalogTables
        {
            Text = text,
            Source = new string(text.Span.Slice(source.Start, source.Length)),
            DataDate = dataDate,
            ServicePrefixes = prefixes,
            ServiceNames = names,
            ServiceFirstAction = firstAction,
            ServiceFirstResourceType = firstType,
            ResourceTypeNames = typeNames,
            ResourceTypeArns = typeArns,
            ActionNames = actionNames,
            ActionLevels = levels,
            ActionFirstRef = firstRef,
            ResourceRefs = refs,
        };
    }

    private static DateTimeOffset ReadDate(ref SpanReader reader)
    {
        var milliseconds = reader.ReadInt64();
        return milliseconds >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds() && milliseconds <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : throw new InvalidDataException("The action catalog's data date is out of range.");
    }

    /// <summary>Skips the padding after the structure and checks that exactly the text remains; returns where it starts.</summary>
    private static int TextOffset(ref SpanReader reader, int textChars)
    {
        if ((reader.Position & 1) != 0 && reader.ReadByte() != 0)
        {
            throw new InvalidDataException("The action catalog's text block is misaligned (no zero padding byte before it).");
        }
        var start = reader.Position;
        var textBytes = reader.Rest.Length;
        if ((textBytes & 1) != 0)
        {
            throw new InvalidDataException($"The action catalog's text block has an odd length ({textBytes:N0} bytes): the file is truncated or misaligned.");
        }
        if (textBytes / 2 != textChars)
        {
            throw new InvalidDataException($"The action catalog's text block holds {textBytes / 2:N0} characters where its header says {textChars:N0}: the file is truncated or corrupt.");
        }
        return start;
    }

    /// <summary>Reads the primitives of the format from a span; every overrun is an <see cref="InvalidDataException"/>.</summary>
    private ref struct SpanReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly ReadOnlySpan<byte> Rest => _data[_position..];

        public readonly int Position => _position;

        public byte ReadByte() => ReadBytes(1)[0];

        public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4));

        public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(8));

        public ReadOnlySpan<byte> ReadBytes(int count)
        {
            if ((uint)count > (uint)(_data.Length - _position))
            {
                throw Truncated();
            }
            var bytes = _data.Slice(_position, count);
            _position += count;
            return bytes;
        }

        /// <summary>A varint that counts something, checked against what can remain (so corrupt data cannot over-allocate).</summary>
        public int ReadCount(int max)
        {
            uint value = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                if (_position >= _data.Length)
                {
                    throw Truncated();
                }
                var b = _data[_position++];
                value |= (uint)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value <= (uint)max ? (int)value : throw new InvalidDataException("The action catalog holds a count larger than its data.");
                }
            }
            throw new InvalidDataException("The action catalog holds an overlong number.");
        }

        private static InvalidDataException Truncated() => new("The action catalog is truncated.");
    }
}
