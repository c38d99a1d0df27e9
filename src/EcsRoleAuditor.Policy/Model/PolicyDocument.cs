using System.Collections.Immutable;

namespace EcsRoleAuditor.Policy.Model;

/// <summary>A parsed IAM policy document: identity policy, permission boundary or trust (resource) policy.</summary>
/// <param name="Name">Where the document came from, as findings and explanations name it (a policy ARN, "inline:NAME", a file name).</param>
/// <param name="Version">The <c>Version</c> element, or null when absent.</param>
/// <param name="Id">The optional <c>Id</c> element.</param>
/// <param name="Statements">The statements in document order.</param>
public sealed record PolicyDocument(string Name, string? Version, string? Id, ImmutableArray<Statement> Statements)
{
    /// <summary>The current policy language version, the only one in which policy variables are substituted.</summary>
    public const string CurrentVersion = "2012-10-17";

    /// <summary>The legacy policy language version: policy variables are literal text.</summary>
    public const string LegacyVersion = "2008-10-17";

    /// <summary>True when <c>${...}</c> policy variables are substituted (Version 2012-10-17); otherwise they are literal text.</summary>
    public bool PolicyVariablesEnabled => Version == CurrentVersion;
}
