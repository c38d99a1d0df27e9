using System.Collections.Immutable;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;

namespace EcsRoleAuditor.Policy.Catalog;

/// <summary>A service as the catalog generator describes it before writing.</summary>
/// <param name="Prefix">The service prefix (stored lower-case).</param>
/// <param name="Name">The service's name.</param>
/// <param name="ResourceTypes">The resource types the service defines: name and ARN template (null when unknown).</param>
/// <param name="Actions">The service's actions.</param>
public sealed record ServiceDefinition(string Prefix, string Name, IReadOnlyList<(string Name, string? ArnTemplate)> ResourceTypes, IReadOnlyList<ActionDefinition> Actions);

/// <summary>An action as the catalog generator describes it before writing.</summary>
/// <param name="Name">The action name in AWS's casing.</param>
/// <param name="AccessLevel">The access level.</param>
/// <param name="ResourceTypes">The resource types it can be scoped to (names from the service's list) and whether each is required.</param>
public sealed record ActionDefinition(string Name, AccessLevel AccessLevel, IReadOnlyList<(string ResourceType, bool Required)> ResourceTypes);

/// <summary>
/// The embedded catalog's file format, written by the generator and read at startup. A Brotli-compressed binary stream:
/// magic <c>ERAC</c>, format version, source, data date, then per service its prefix, name, resource types (name, ARN
/// template) and actions (name, access level, resource types as indexes into the service's list with a required flag).
/// Strings are length-prefixed UTF-8 (<see cref="BinaryWriter"/>), counts 7-bit encoded. Binary rather than JSON because
/// the Lambda loads it on every cold start: reading it costs a few milliseconds where parsing the 20 MB of source JSON
/// costs hundreds; Brotli keeps the committed file small for a few milliseconds of decompression.
/// </summary>
public static class CatalogFormat
{
    private const uint Magic = 0x43415245; // "ERAC" little-endian
    private const byte FormatVersion = 1;

    /// <summary>Writes the catalog; the same input always gives the same bytes.</summary>
    public static void Write(Stream output, string source, DateTimeOffset dataDate, IReadOnlyList<ServiceDefinition> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        using var brotli = new BrotliStream(output, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new BinaryWriter(brotli, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(source);
        writer.Write(dataDate.ToUnixTimeSeconds());
        writer.Write7BitEncodedInt(services.Count);
        foreach (var service in services.OrderBy(s => s.Prefix.ToLowerInvariant(), StringComparer.Ordinal))
        {
            writer.Write(service.Prefix.ToLowerInvariant());
            writer.Write(service.Name);
            var typeIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            writer.Write7BitEncodedInt(service.ResourceTypes.Count);
            foreach (var (name, arn) in service.ResourceTypes)
            {
                typeIndex.Add(name, typeIndex.Count);
                writer.Write(name);
                writer.Write(arn ?? "");
            }
            writer.Write7BitEncodedInt(service.Actions.Count);
            foreach (var action in service.Actions.OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase))
            {
                writer.Write(action.Name);
                writer.Write((byte)action.AccessLevel);
                writer.Write7BitEncodedInt(action.ResourceTypes.Count);
                foreach (var (type, required) in action.ResourceTypes)
                {
                    if (!typeIndex.TryGetValue(type, out var index))
                    {
                        throw new InvalidDataException($"{service.Prefix}:{action.Name} names resource type '{type}', which {service.Prefix} does not define.");
                    }
                    writer.Write7BitEncodedInt(index);
                    writer.Write(required);
                }
            }
        }
    }

    /// <summary>Reads a catalog written by <see cref="Write"/>.</summary>
    public static ActionCatalog Read(Stream input)
    {
        // Decompress in one go, then parse from memory: BinaryReader reads strings and 7-bit ints in small pieces.
        using var decompressed = new MemoryStream(1 << 20);
        using (var brotli = new BrotliStream(input, CompressionMode.Decompress, leaveOpen: true))
        {
            try
            {
                brotli.CopyTo(decompressed);
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidDataException("The action catalog is not valid Brotli data.", e);
            }
        }
        decompressed.Position = 0;
        using var reader = new BinaryReader(decompressed, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadUInt32() != Magic || reader.ReadByte() != FormatVersion)
            {
                throw new InvalidDataException("Not an EcsRoleAuditor action catalog (wrong magic or format version).");
            }
            var source = reader.ReadString();
            var dataDate = DateTimeOffset.FromUnixTimeSeconds(reader.ReadInt64());
            var services = new CatalogService[reader.Read7BitEncodedInt()];
            var actions = new List<CatalogAction>(24_000);
            for (var s = 0; s < services.Length; s++)
            {
                var prefix = reader.ReadString();
                var name = reader.ReadString();
                var types = new (string Name, string? Arn)[reader.Read7BitEncodedInt()];
                for (var t = 0; t < types.Length; t++)
                {
                    var typeName = reader.ReadString();
                    var arn = reader.ReadString();
                    types[t] = (typeName, arn.Length == 0 ? null : arn);
                }
                // Two shared instances per resource type (required or not) instead of one per action that names it.
                var optional = types.Select(t => new ActionResourceType(t.Name, false, t.Arn)).ToArray();
                var required = types.Select(t => new ActionResourceType(t.Name, true, t.Arn)).ToArray();
                var first = actions.Count;
                var actionCount = reader.Read7BitEncodedInt();
                for (var a = 0; a < actionCount; a++)
                {
                    var actionName = reader.ReadString();
                    var level = (AccessLevel)reader.ReadByte();
                    var refCount = reader.Read7BitEncodedInt();
                    var refs = refCount == 0 ? [] : new ActionResourceType[refCount];
                    for (var r = 0; r < refs.Length; r++)
                    {
                        var index = reader.Read7BitEncodedInt();
                        refs[r] = reader.ReadBoolean() ? required[index] : optional[index];
                    }
                    actions.Add(new CatalogAction(actions.Count, prefix, actionName, level, ImmutableCollectionsMarshal.AsImmutableArray(refs)));
                }
                services[s] = new CatalogService(prefix, name, [.. optional], first, actionCount);
            }
            return new ActionCatalog(source, dataDate, services, [.. actions]);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The action catalog is truncated.", e);
        }
    }
}
