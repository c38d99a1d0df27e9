using System.Collections.Immutable;

namespace EcsRoleAuditor.Policy.Model;

/// <summary>Allow or Deny.</summary>
public enum Effect
{
    /// <summary>The statement grants what it matches.</summary>
    Allow,

    /// <summary>The statement explicitly denies what it matches; an explicit deny always wins.</summary>
    Deny,
}

/// <summary>One statement of a policy document.</summary>
/// <param name="Index">Zero-based position in the document's <c>Statement</c> list.</param>
/// <param name="Sid">The optional statement id.</param>
/// <param name="Effect">Allow or Deny.</param>
/// <param name="Actions"><c>Action</c> or <c>NotAction</c>; null only in a trust policy statement that names none (not valid for IAM, kept for reporting).</param>
/// <param name="Resources"><c>Resource</c> or <c>NotResource</c>; null when the statement has neither (trust policies).</param>
/// <param name="Principals"><c>Principal</c> or <c>NotPrincipal</c>; null in identity policies.</param>
/// <param name="Conditions">The condition clauses; all must hold (AND).</param>
public sealed record Statement(
    int Index,
    string? Sid,
    Effect Effect,
    ActionList? Actions,
    ResourceList? Resources,
    PrincipalList? Principals,
    ImmutableArray<ConditionClause> Conditions)
{
    /// <summary>The JSON path of this statement in its document, e.g. <c>$.Statement[2]</c>.</summary>
    public string Path { get; init; } = $"$.Statement[{Index}]";

    /// <summary>How a person refers to this statement: its Sid when it has one, else its index.</summary>
    public string Label => string.IsNullOrEmpty(Sid) ? $"#{Index}" : Sid;
}

/// <summary>The <c>Action</c> (or, when <see cref="IsNegated"/>, <c>NotAction</c>) element: action patterns such as <c>s3:Get*</c>.</summary>
public sealed record ActionList(bool IsNegated, ImmutableArray<string> Patterns)
{
    /// <summary>The element name as written in the policy.</summary>
    public string ElementName => IsNegated ? "NotAction" : "Action";
}

/// <summary>The <c>Resource</c> (or, when <see cref="IsNegated"/>, <c>NotResource</c>) element: ARN patterns or <c>*</c>.</summary>
public sealed record ResourceList(bool IsNegated, ImmutableArray<string> Patterns)
{
    /// <summary>The element name as written in the policy.</summary>
    public string ElementName => IsNegated ? "NotResource" : "Resource";
}

/// <summary>The kind of principal named in a <c>Principal</c> map.</summary>
public enum PrincipalType
{
    /// <summary><c>"Principal": "*"</c> or <c>{"AWS": "*"}</c>: everyone.</summary>
    Anyone,

    /// <summary>Accounts, users, roles, sessions (<c>AWS</c>).</summary>
    Aws,

    /// <summary>AWS service principals such as <c>ecs-tasks.amazonaws.com</c> (<c>Service</c>).</summary>
    Service,

    /// <summary>Web identity and SAML providers (<c>Federated</c>).</summary>
    Federated,

    /// <summary>S3 canonical user ids (<c>CanonicalUser</c>).</summary>
    CanonicalUser,
}

/// <summary>One principal named by a statement.</summary>
public sealed record PrincipalEntry(PrincipalType Type, string Value);

/// <summary>The <c>Principal</c> (or, when <see cref="IsNegated"/>, <c>NotPrincipal</c>) element.</summary>
public sealed record PrincipalList(bool IsNegated, ImmutableArray<PrincipalEntry> Entries)
{
    /// <summary>The element name as written in the policy.</summary>
    public string ElementName => IsNegated ? "NotPrincipal" : "Principal";

    /// <summary>True for <c>"*"</c> or an <c>AWS: "*"</c> entry.</summary>
    public bool IncludesAnyone => Entries.Any(e => e.Type == PrincipalType.Anyone || (e.Type == PrincipalType.Aws && e.Value == "*"));
}
