using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;

namespace EcsRoleAuditor.Aws.Resolution;

/// <summary>
/// Parsed managed policy documents keyed by (policy ARN, version id), for the life of the process: a policy version is
/// immutable (a change makes a new version), so a cached version never goes stale. Which version is the default is not
/// cached here (it changes when someone sets a new default). Thread-safe; bounded, least recently used first out.
/// Share one instance across directories (<see cref="Shared"/>) so a warm Lambda skips <c>iam:GetPolicyVersion</c>.
/// </summary>
public sealed class ManagedPolicyCache
{
    /// <summary>The default capacity: more versions than any account attaches to its ECS roles, a few MB at most.</summary>
    internal const int DefaultCapacity = 2048;

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Arn, string VersionId), LinkedListNode<ManagedPolicyVersionDocument>> _entries = [];
    private readonly LinkedList<ManagedPolicyVersionDocument> _recency = new();

    /// <summary>A cache holding at most <paramref name="capacity"/> versions.</summary>
    public ManagedPolicyCache(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>The process-wide cache the directories use unless given another.</summary>
    public static ManagedPolicyCache Shared { get; } = new();

    /// <summary>The most versions kept.</summary>
    internal int Capacity { get; }

    /// <summary>The versions held now.</summary>
    internal int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The cached version, or false.</summary>
    internal bool TryGet(string policyArn, string versionId, out ManagedPolicyVersionDocument version)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue((policyArn, versionId), out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                version = node.Value;
                return true;
            }
        }
        version = null!;
        return false;
    }

    /// <summary>The cached version, or the parse of <paramref name="documentText"/> (JSON or URL-encoded JSON), which is then cached; a malformed document is cached with its error.</summary>
    internal ManagedPolicyVersionDocument GetOrParse(string policyArn, string versionId, string documentText)
    {
        if (TryGet(policyArn, versionId, out var cached))
        {
            return cached;
        }
        // Parsed outside the lock: two threads may both parse a new version, and the first stored wins; both results are equal.
        var parsed = ManagedPolicyVersionDocument.Parse(policyArn, versionId, documentText);
        lock (_lock)
        {
            if (_entries.TryGetValue((policyArn, versionId), out var raced))
            {
                return raced.Value;
            }
            _entries[(policyArn, versionId)] = _recency.AddFirst(parsed);
            if (_entries.Count > Capacity && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove((oldest.Value.Arn, oldest.Value.VersionId));
            }
        }
        return parsed;
    }
}

/// <summary>One managed policy version, parsed: its document, or the parser's error when it is malformed.</summary>
/// <param name="Arn">The policy ARN.</param>
/// <param name="VersionId">The version id, e.g. <c>v3</c>.</param>
/// <param name="Document">The parsed document, or null when malformed.</param>
/// <param name="Error">The parser's error, or null when the document parsed.</param>
public sealed record ManagedPolicyVersionDocument(string Arn, string VersionId, PolicyDocument? Document, PolicyParseError? Error)
{
    /// <summary>Parses a version's document text.</summary>
    public static ManagedPolicyVersionDocument Parse(string policyArn, string versionId, string documentText)
    {
        PolicyParser.TryParse(documentText, $"{policyArn} ({versionId})", PolicyKind.Identity, out var document, out var error);
        return new ManagedPolicyVersionDocument(policyArn, versionId, document, error);
    }

    /// <summary>
    /// The document as a policy of a role, named after its source as the audit expects (an attached policy and a
    /// boundary of the same version share the parsed statements under different names).
    /// </summary>
    internal RolePolicy? ForSource(FindingSource source) =>
        Document is { } document ? new RolePolicy(source, document with { Name = source.ToString() }) : null;
}
