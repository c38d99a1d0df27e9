using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Model;

namespace EcsRoleAuditor.InfrastructureCode.Declared;

/// <summary>Where infrastructure code declares something: the file, the 1-based line when the format has lines, and the resource's address in it.</summary>
/// <param name="File">The file as the user named it.</param>
/// <param name="Line">The line of the declaration, or null (a Terraform plan's JSON lines mean nothing to its author).</param>
/// <param name="Address">The resource: a CloudFormation logical ID (<c>TaskRole</c>), a Terraform address (<c>aws_iam_role.task</c>), with the part inside it when there is one (<c>TaskRole.Policies[0]</c>).</param>
public sealed record CodeLocation(string File, int? Line, string Address)
{
    /// <inheritdoc/>
    public override string ToString() => Line is { } line ? $"{File}:{line} ({Address})" : $"{File} ({Address})";
}

/// <summary>A policy document as declared: its JSON once every value the audit needs is resolved, or why it cannot be read offline.</summary>
/// <param name="Json">The document; unresolved values inside it are <see cref="Policy.Model.UnresolvedValue"/> markers. Null when <paramref name="Unreadable"/> says why.</param>
/// <param name="Unreadable">Why the document cannot be audited offline (an unresolved Effect or Action, say); the role's audit is then incomplete.</param>
/// <param name="Location">Where the document is written.</param>
public sealed record DeclaredDocument(string? Json, string? Unreadable, CodeLocation Location)
{
    /// <summary>The line of each statement, by the label findings give it (its Sid, else <c>#index</c>).</summary>
    public ImmutableDictionary<string, int> StatementLines { get; init; } = ImmutableDictionary<string, int>.Empty;
}

/// <summary>An inline policy of a role: the role's own <c>Policies</c>, or a policy resource naming the role (IAM stores both as inline policies).</summary>
public sealed record DeclaredInlinePolicy(string Name, DeclaredDocument Document);

/// <summary>An IAM role as declared, named as IAM would name it once created.</summary>
/// <param name="Name">The role name (the declared one, or a stand-in when IAM would generate it: see the adapter).</param>
/// <param name="Arn">The role ARN.</param>
/// <param name="Path">The role path.</param>
/// <param name="Trust">The trust policy.</param>
/// <param name="InlinePolicies">Its inline policies.</param>
/// <param name="ManagedPolicyArns">The managed policies attached to it.</param>
/// <param name="BoundaryArn">The permission boundary, or null.</param>
/// <param name="Tags">Its tags.</param>
/// <param name="Location">Where it is declared.</param>
public sealed record DeclaredRole(
    string Name,
    string Arn,
    string Path,
    DeclaredDocument Trust,
    ImmutableArray<DeclaredInlinePolicy> InlinePolicies,
    ImmutableArray<string> ManagedPolicyArns,
    string? BoundaryArn,
    ImmutableDictionary<string, string> Tags,
    CodeLocation Location)
{
    /// <summary>True when the code leaves the name to the deployment tool (CloudFormation generates it): <see cref="Name"/> is a stand-in, and only the code's own reference names the role.</summary>
    public bool NameGenerated { get; init; }
}

/// <summary>A customer managed policy as declared.</summary>
public sealed record DeclaredManagedPolicy(string Name, string Arn, string Path, DeclaredDocument Document, CodeLocation Location);

/// <summary>A task definition as declared, written as RegisterTaskDefinition's request (camelCase JSON) for the task definition reader.</summary>
/// <param name="Json">The task definition object.</param>
/// <param name="Location">Where it is declared.</param>
public sealed record DeclaredTaskDefinition(string Json, CodeLocation Location)
{
    /// <summary>The line of each field, by the path findings name (<c>containerDefinitions[0].secrets[1]</c>).</summary>
    public ImmutableDictionary<string, int> FieldLines { get; init; } = ImmutableDictionary<string, int>.Empty;

    /// <summary>The fields the code leaves unknown until deployment, whose needs are then not audited.</summary>
    public ImmutableArray<UnauditedField> UnauditedFields { get; init; } = [];
}

/// <summary>What one template or plan declares that the audit reads, and what its adapter could not settle.</summary>
/// <param name="Source">The file.</param>
/// <param name="TaskDefinitions">The task definitions.</param>
/// <param name="Roles">The roles.</param>
/// <param name="ManagedPolicies">The customer managed policies.</param>
/// <param name="Notes">What the adapter left unresolved or ignored, each a sentence with its location, for standard error.</param>
public sealed record DeclaredResources(
    string Source,
    ImmutableArray<DeclaredTaskDefinition> TaskDefinitions,
    ImmutableArray<DeclaredRole> Roles,
    ImmutableArray<DeclaredManagedPolicy> ManagedPolicies,
    ImmutableArray<string> Notes)
{
    /// <summary>The KMS keys the code gives for secrets and parameters it declares.</summary>
    public ImmutableArray<DeclaredEncryptionKey> EncryptionKeys { get; init; } = [];

    /// <summary>The templates of the nested stacks read with this one (their declarations are in this one's), as their sources name them.</summary>
    public ImmutableArray<string> NestedFiles { get; init; } = [];
}

/// <summary>The KMS key that encrypts a declared secret or parameter.</summary>
/// <param name="Resource">The secret's or parameter's ARN as a task definition in the same code names it.</param>
/// <param name="Key">The key as the code writes it: an ARN, a key ID or an alias; empty when only deployment knows it.</param>
/// <param name="Location">Where the secret or parameter is declared.</param>
public sealed record DeclaredEncryptionKey(string Resource, string Key, CodeLocation Location);
