using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Unicode;

namespace EcsRoleAuditor.ManagedPolicies;

/// <summary>A policy as the generator hands it to <see cref="ManagedPolicyFormat.WritePayload"/>.</summary>
internal sealed record ManagedPolicyRecord(string Name, string Path, string VersionId, string DocumentJson)
{
    public string Arn => AwsManagedPolicies.ArnPrefix + Path + Name;
}

/// <summary>
/// The embedded file, writer and reader side by side (docs/managed-policies.md). A 12-byte header (magic <c>ERAM</c>,
/// format version byte, 3 zero bytes, the payload's length as int32 little-endian) and the payload, Brotli-compressed.
/// The payload: the package name and version, the data date (int32 day number), the policy count (int32), then per
/// policy in ordinal ARN order its name, path, default version id and compact JSON document. Strings are a 7-bit
/// varint byte length and UTF-8. Same package, same payload; the compressed bytes depend on the Brotli encoder, so the
/// tests compare payloads.
/// </summary>
internal static class ManagedPolicyFormat
{
    public const string ResourceName = "EcsRoleAuditor.ManagedPolicies.aws-managed-policies.bin";
    public const byte Version = 1;
    public const int HeaderLength = 12;

    // Far above the ~3.2 MB of today's corpus, far below what would hurt: a damaged length is refused before allocating.
    private const int MaxPayloadLength = 64 << 20;
    private static ReadOnlySpan<byte> Magic => "ERAM"u8;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The uncompressed payload for these policies (ordered here by ARN; a repeated ARN is an error).</summary>
    public static byte[] WritePayload(AwsManagedPolicyCorpusIdentity identity, IEnumerable<ManagedPolicyRecord> policies)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(policies);
        var ordered = policies.OrderBy(p => p.Arn, StringComparer.Ordinal).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (string.Equals(ordered[i - 1].Arn, ordered[i].Arn, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"The policy {ordered[i].Arn} is listed twice.");
            }
        }
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, StrictUtf8, leaveOpen: true))
        {
            writer.Write(identity.PackageName);
            writer.Write(identity.PackageVersion);
            writer.Write(identity.DataDate.DayNumber);
            writer.Write(ordered.Count);
            foreach (var policy in ordered)
            {
                if (!IsName(policy.Name))
                {
                    throw new InvalidDataException($"Bad policy name '{policy.Name}'.");
                }
                if (!IsPath(policy.Path))
                {
                    throw new InvalidDataException($"Bad path '{policy.Path}' of {policy.Name}.");
                }
                if (policy.VersionId.Length == 0 || policy.DocumentJson.Length == 0)
                {
                    throw new InvalidDataException($"{policy.Name} has no version id or no document.");
                }
                writer.Write(policy.Name);
                writer.Write(policy.Path);
                writer.Write(policy.VersionId);
                writer.Write(policy.DocumentJson);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>The embedded file: header and Brotli-compressed payload (quality 11, 16 MB window).</summary>
    public static byte[] Compress(byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        Check(payload.Length <= MaxPayloadLength, "the payload is larger than 64 MB");
        var output = new byte[HeaderLength + BrotliEncoder.GetMaxCompressedLength(payload.Length)];
        Magic.CopyTo(output);
        output[4] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(output.AsSpan(8), payload.Length);
        if (!BrotliEncoder.TryCompress(payload, output.AsSpan(HeaderLength), out var written, quality: 11, window: 24))
        {
            throw new InvalidOperationException("Brotli compression failed.");
        }
        return output[..(HeaderLength + written)];
    }

    /// <summary>The payload of an embedded file; throws <see cref="InvalidDataException"/> for a damaged one.</summary>
    public static byte[] Decompress(ReadOnlySpan<byte> resource)
    {
        Check(resource.Length >= HeaderLength && resource[..4].SequenceEqual(Magic), "not a managed policy corpus (magic ERAM)");
        if (resource[4] != Version)
        {
            throw Damaged($"format version {resource[4]}, this build reads {Version}");
        }
        Check(resource[5] == 0 && resource[6] == 0 && resource[7] == 0, "nonzero reserved header bytes");
        var length = BinaryPrimitives.ReadInt32LittleEndian(resource[8..]);
        if (length is <= 0 or > MaxPayloadLength)
        {
            throw Damaged($"payload length {length} out of range");
        }
        var payload = new byte[length];
        // TryDecompress fails when the data would not fit, so a payload longer than the header says is refused too.
        Check(BrotliDecoder.TryDecompress(resource[HeaderLength..], payload, out var written) && written == length,
            "the compressed payload is damaged or does not have the length the header says");
        return payload;
    }

    /// <summary>Decompresses, validates and indexes an embedded file.</summary>
    public static AwsManagedPolicies Read(ReadOnlySpan<byte> resource)
    {
        var payload = Decompress(resource);
        var reader = new PayloadReader(payload);
        var identity = new AwsManagedPolicyCorpusIdentity(reader.String(), reader.String(), DayNumber(reader.Int32()));
        var count = reader.Int32();
        if (count < 0 || count > payload.Length / 5)
        {
            throw Damaged($"policy count {count} out of range");
        }
        var byArn = new Dictionary<string, AwsManagedPolicies.ManagedPolicyEntry>(count, StringComparer.Ordinal);
        string? previous = null;
        for (var i = 0; i < count; i++)
        {
            var name = reader.String();
            var path = reader.String();
            var versionId = reader.String();
            var (start, length) = reader.Utf8Range();
            if (!(IsName(name) && IsPath(path) && versionId.Length > 0 && length > 0))
            {
                throw Damaged($"policy {i} has an empty or malformed name, path, version id or document");
            }
            var arn = AwsManagedPolicies.ArnPrefix + path + name;
            if (previous is not null && string.CompareOrdinal(previous, arn) >= 0)
            {
                throw Damaged($"policy {i} ({arn}) is not after {previous}: ARNs are unique and in order");
            }
            byArn.Add(arn, new AwsManagedPolicies.ManagedPolicyEntry(name, path, versionId, start, length));
            previous = arn;
        }
        Check(reader.AtEnd, "bytes after the last policy");
        return new AwsManagedPolicies(identity, payload, byArn);
    }

    private static DateOnly DayNumber(int day)
    {
        if (day < DateOnly.MinValue.DayNumber || day > DateOnly.MaxValue.DayNumber)
        {
            throw Damaged($"data date {day} out of range");
        }
        return DateOnly.FromDayNumber(day);
    }

    private static bool IsName(string name) => name.Length > 0 && !name.Contains('/', StringComparison.Ordinal);

    private static bool IsPath(string path) => path.Length > 0 && path[0] == '/' && path[^1] == '/';

    // Messages with values are built only on failure (if/throw Damaged), never once per policy on the way.
    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw Damaged(what);
        }
    }

    private static InvalidDataException Damaged(string what) => new($"The embedded AWS managed policy corpus is damaged: {what}.");

    /// <summary>Reads the payload as <see cref="BinaryWriter"/> wrote it, every length checked against what is left.</summary>
    private ref struct PayloadReader(byte[] payload)
    {
        private int _position;

        public readonly bool AtEnd => _position == payload.Length;

        public int Int32()
        {
            Check(payload.Length - _position >= 4, "truncated");
            var value = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(_position));
            _position += 4;
            return value;
        }

        public string String()
        {
            var (start, length) = Utf8Range();
            return StrictUtf8.GetString(payload, start, length);
        }

        /// <summary>A length-prefixed string's bytes, checked to be UTF-8 without decoding them.</summary>
        public (int Start, int Length) Utf8Range()
        {
            var length = 0;
            for (var shift = 0; ; shift += 7)
            {
                Check(shift < 35 && _position < payload.Length, "truncated or overlong string length");
                var b = payload[_position++];
                length |= (b & 0x7F) << shift;
                if (b < 0x80)
                {
                    break;
                }
            }
            Check(length >= 0 && length <= payload.Length - _position, "a string runs past the end");
            var start = _position;
            if (!Utf8.IsValid(payload.AsSpan(start, length)))
            {
                throw Damaged($"invalid UTF-8 at byte {start}");
            }
            _position += length;
            return (start, length);
        }
    }
}
