using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Policy.Parsing;

namespace EcsRoleAuditor.Aws.Resolution;

/// <summary>
/// Assembles a <see cref="Role"/> from the parts IAM returned, in the order they are added; what could not be read or
/// parsed becomes a <see cref="ReadProblem"/> on the role. Both the per-role and the bulk directory build roles here.
/// </summary>
internal sealed class RoleBuilder(string arn, string name, string path, IEnumerable<IamTag> tags)
{
    private readonly ImmutableArray<RolePolicy>.Builder _policies = ImmutableArray.CreateBuilder<RolePolicy>();
    private readonly ImmutableArray<ReadProblem>.Builder _problems = ImmutableArray.CreateBuilder<ReadProblem>();
    private RolePolicy? _trust;
    private RolePolicy? _boundary;

    public string Name { get; } = name;

    /// <summary>
    /// Parses the trust policy; <paramref name="origin"/> says where the text came from, for the error. Null text: the
    /// answer held none (<paramref name="unaudited"/>: a recording left it out on purpose, and why).
    /// </summary>
    public void TrustPolicy(string? text, string origin, string? unaudited = null) =>
        _trust = Parse(new FindingSource(SourceKind.TrustPolicy, Name), text, PolicyKind.Resource, origin, unaudited);

    /// <summary>Parses and adds an inline policy. Null text: the answer held no document (<paramref name="unaudited"/> as for the trust policy).</summary>
    public void InlinePolicy(string policyName, string? text, string origin, string? unaudited = null)
    {
        if (Parse(new FindingSource(SourceKind.InlinePolicy, policyName), text, PolicyKind.Identity, origin, unaudited) is { } policy)
        {
            _policies.Add(policy);
        }
    }

    /// <summary>Adds an attached managed policy (<see cref="SourceKind.ManagedPolicy"/>) or the boundary (<see cref="SourceKind.PermissionBoundary"/>) at the given version.</summary>
    public void ManagedPolicy(SourceKind kind, string policyName, ManagedPolicyVersionDocument version, string origin)
    {
        var source = new FindingSource(kind, policyName, version.Arn, version.VersionId);
        if (version.ForSource(source) is not { } policy)
        {
            _problems.Add(Malformed(source, version.Error, origin));
        }
        else if (kind == SourceKind.PermissionBoundary)
        {
            _boundary = policy;
        }
        else
        {
            _policies.Add(policy);
        }
    }

    /// <summary>Records a part that could not be read, with its remedy when more specific than ERA005's.</summary>
    public void Unreadable(FindingSource source, string detail, string? remedy = null) =>
        _problems.Add(new ReadProblem(ReadProblemKind.Unreadable, source, detail) { Remedy = remedy });

    /// <summary>Records a document the answer left out (<paramref name="unaudited"/>: on purpose, and why).</summary>
    public void MissingDocument(FindingSource source, string origin, string? unaudited)
    {
        var missing = Offline.RecordedIam.MissingDocument(origin, unaudited);
        Unreadable(source, missing.Message, missing.Remedy);
    }

    public Role Build() => new(
        arn,
        Name,
        string.IsNullOrEmpty(path) ? "/" : path,
        _trust,
        _policies.ToImmutable(),
        _boundary,
        tags.ToImmutableDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal),
        _problems.ToImmutable());

    private RolePolicy? Parse(FindingSource source, string? text, PolicyKind kind, string origin, string? unaudited)
    {
        if (text is null)
        {
            MissingDocument(source, origin, unaudited);
            return null;
        }
        if (PolicyParser.TryParse(text, source.ToString(), kind, out var document, out var error))
        {
            return new RolePolicy(source, document!);
        }
        _problems.Add(Malformed(source, error, origin));
        return null;
    }

    private static ReadProblem Malformed(FindingSource source, PolicyParseError? error, string origin) =>
        new(ReadProblemKind.Malformed, source, error?.Location is { } location
            ? $"{origin}: {location}: {error.Message}"
            : $"{origin}: {error?.Message ?? "not a policy document"}");
}
