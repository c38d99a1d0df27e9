using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Model;

/// <summary>A policy that shapes a role, with where it comes from.</summary>
/// <param name="Source">Inline policy name, managed policy ARN and version, boundary, or trust policy.</param>
/// <param name="Document">The parsed document.</param>
public sealed record RolePolicy(FindingSource Source, PolicyDocument Document);

/// <summary>Something about a role that could not be read: the audit is incomplete (ERA005) or a document is malformed (ERA047).</summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Source">Which policy or part of the role.</param>
/// <param name="Detail">The reason, e.g. the parser's error with its location, or the missing permission.</param>
public sealed record ReadProblem(ReadProblemKind Kind, FindingSource Source, string Detail)
{
    /// <summary>What to do about this problem when it is more specific than the rule's remediation, or null.</summary>
    public string? Remedy { get; init; }
}

/// <summary>The kinds of <see cref="ReadProblem"/>.</summary>
public enum ReadProblemKind
{
    /// <summary>The data could not be obtained (access denied, throttled, missing from the input, another account).</summary>
    Unreadable,
    /// <summary>The data was obtained but is not a valid policy document.</summary>
    Malformed,
}

/// <summary>Everything the audit needs to know about one IAM role.</summary>
/// <param name="Arn">The role ARN.</param>
/// <param name="Name">The role name.</param>
/// <param name="Path">The role path, e.g. <c>/</c> or <c>/aws-service-role/ecs.amazonaws.com/</c>.</param>
/// <param name="TrustPolicy">The trust (assume role) policy, or null when it could not be read.</param>
/// <param name="Policies">The identity policies: inline and attached managed (default version).</param>
/// <param name="Boundary">The permission boundary, or null when the role has none (or it could not be read: see <see cref="Problems"/>).</param>
/// <param name="Tags">The role's tags.</param>
/// <param name="Problems">What could not be read or parsed.</param>
public sealed record Role(
    string Arn,
    string Name,
    string Path,
    RolePolicy? TrustPolicy,
    ImmutableArray<RolePolicy> Policies,
    RolePolicy? Boundary,
    ImmutableDictionary<string, string> Tags,
    ImmutableArray<ReadProblem> Problems)
{
    /// <summary>True for service-linked roles (path <c>/aws-service-role/</c>), such as AWSServiceRoleForECS.</summary>
    public bool IsServiceLinked => Path.StartsWith("/aws-service-role/", StringComparison.Ordinal);
}

/// <summary>The outcome of looking a role up.</summary>
public abstract record RoleLookup
{
    private RoleLookup()
    {
    }

    /// <summary>The role was found and read (possibly with problems, listed on the role).</summary>
    public sealed record Found(Role Role) : RoleLookup;

    /// <summary>The role does not exist (ERA004).</summary>
    public sealed record NotFound(string Reference, string Detail) : RoleLookup;

    /// <summary>The role could not be read at all (ERA005): access denied, throttled, another account, not in the input.</summary>
    public sealed record Unreadable(string Reference, string Detail) : RoleLookup
    {
        /// <summary>What to do about it when it is more specific than ERA005's remediation, or null.</summary>
        public string? Remedy { get; init; }
    }
}

/// <summary>Where the audit gets roles from: an account snapshot file offline, IAM live. The seam between audit and AWS I/O.</summary>
public interface IRoleDirectory
{
    /// <summary>Looks up a role by ARN or bare name (as a task definition writes it). Never throws for AWS errors: they become <see cref="RoleLookup.NotFound"/> or <see cref="RoleLookup.Unreadable"/>.</summary>
    ValueTask<RoleLookup> FindAsync(string roleReference, CancellationToken cancellationToken);
}
