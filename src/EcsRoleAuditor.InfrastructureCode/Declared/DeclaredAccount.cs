using System.Collections.Immutable;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Offline;

namespace EcsRoleAuditor.InfrastructureCode.Declared;

/// <summary>
/// What infrastructure code declares, as the offline audit reads an account: the task definitions, IAM answered from
/// the declared roles and policies (over an exported account's when one is given), and where each thing is written.
/// Every adapter (CloudFormation, Terraform) ends here, so the rules never know which one a role came from.
/// </summary>
/// <param name="TaskDefinitions">The declared task definitions.</param>
/// <param name="Iam">IAM as the declarations (and the export, for roles they do not declare) answer it.</param>
/// <param name="Locations">Where each task definition, role, policy and statement is written.</param>
/// <param name="Notes">What was left unresolved or overridden, each a sentence naming its place.</param>
public sealed record DeclaredAccount(IReadOnlyList<TaskDefinition> TaskDefinitions, RecordedIam Iam, SourceLocations Locations, ImmutableArray<string> Notes)
{
    /// <summary>The KMS key of each declared secret or parameter that names one, by its ARN as task definitions name it (what <c>fix</c> grants kms:Decrypt on).</summary>
    public ImmutableDictionary<string, string> EncryptionKeys { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The roles whose names the deployment generates, by their stand-in name (ignoring case): where each is declared, its address the code's reference.</summary>
    public ImmutableDictionary<string, CodeLocation> GeneratedRoleNames { get; init; } = ImmutableDictionary<string, CodeLocation>.Empty;

    private const string DeclaredVersion = "v1"; // IAM's id for a managed policy's first version, as created from the declaration

    /// <summary>Builds the account from one or more files' declarations and, optionally, an export of the account today.</summary>
    /// <param name="files">What each file declares.</param>
    /// <param name="export">The account as exported (roles the files do not declare), or null.</param>
    /// <param name="awsManagedPolicies">Where AWS managed policies the declarations attach are read when the export does not hold them, or null.</param>
    /// <exception cref="InputException">Something is declared twice, or a declared task definition cannot be read (naming the file and place).</exception>
    public static DeclaredAccount Build(IReadOnlyList<DeclaredResources> files, RecordedIam? export, IAwsManagedPolicyFallback? awsManagedPolicies = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var locations = new SourceLocations();
        var notes = ImmutableArray.CreateBuilder<string>();
        var definitions = new List<TaskDefinition>();
        var definitionPlaces = new Dictionary<string, CodeLocation>(StringComparer.Ordinal);
        var roles = new List<RoleDetail>();
        var rolePlaces = new Dictionary<string, CodeLocation>(StringComparer.OrdinalIgnoreCase);
        var policies = new List<ManagedPolicyDetail>();
        var policyPlaces = new Dictionary<string, CodeLocation>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            notes.AddRange(file.Notes);
            foreach (var declared in file.TaskDefinitions)
            {
                var definition = ReadTaskDefinition(declared);
                if (!definitionPlaces.TryAdd(definition.DisplayName, declared.Location))
                {
                    throw new InputException($"{declared.Location}: the task definition {definition.DisplayName} is also declared at {definitionPlaces[definition.DisplayName]}; "
                        + "audit the two templates separately, or give each family its own name");
                }
                definitions.Add(definition);
                locations.AddTaskDefinition(definition.DisplayName, Spot(declared.Location),
                    declared.FieldLines.Select(f => KeyValuePair.Create(f.Key, new SourceSpot(declared.Location.File, f.Value))));
            }
            foreach (var role in file.Roles)
            {
                if (!rolePlaces.TryAdd(role.Name, role.Location))
                {
                    throw new InputException($"{role.Location}: the role {role.Name} is also declared at {rolePlaces[role.Name]} (IAM role names are unique in an account, ignoring case)");
                }
                // IAM keeps one inline policy per name on a role: a second would replace the first, so neither can be audited as written.
                if (role.InlinePolicies.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
                {
                    throw new InputException($"{role.Location}: the role {role.Name} gets two inline policies named {twice.Key} ({string.Join(", ", twice.Select(p => p.Document.Location))})");
                }
                roles.Add(Detail(role));
                Locate(locations, role);
            }
            foreach (var policy in file.ManagedPolicies)
            {
                if (!policyPlaces.TryAdd(policy.Arn, policy.Location))
                {
                    throw new InputException($"{policy.Location}: the managed policy {policy.Arn} is also declared at {policyPlaces[policy.Arn]}");
                }
                policies.Add(new ManagedPolicyDetail(policy.Name, policy.Arn, policy.Path, DeclaredVersion,
                    [new ManagedPolicyVersion(DeclaredVersion, IsDefaultVersion: true, policy.Document.Json) { Unaudited = Unaudited(policy.Document) }]));
            }
        }
        // A role may attach a policy another file declares.
        var declaredPolicies = files.SelectMany(f => f.ManagedPolicies).ToDictionary(p => p.Arn, StringComparer.Ordinal);
        foreach (var role in files.SelectMany(f => f.Roles))
        {
            foreach (var policy in role.ManagedPolicyArns.Select(declaredPolicies.GetValueOrDefault).OfType<DeclaredManagedPolicy>())
            {
                locations.AddPolicy(role.Arn, new FindingSource(SourceKind.ManagedPolicy, policy.Name, policy.Arn), Spot(policy.Document.Location), StatementSpots(policy.Document));
            }
        }
        var source = string.Join(", ", files.Select(f => f.Source));
        var declaredIam = RecordedIam.Create(source, roles, policies, awsManagedPolicies);
        var iam = declaredIam;
        if (export is not null)
        {
            iam = export.Overlay(declaredIam, out var replaced);
            notes.AddRange(replaced.Select(r => $"{r} is both declared and in {export.Source}: the declaration is audited (it is what the next deployment makes)"));
        }
        // Two declarations of one secret ARN with different keys (two stacks' unnamed secrets of one logical ID, secrets
        // under opposite conditions) leave the key unknown: a grant on either could be the wrong key.
        var keys = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var key in files.SelectMany(f => f.EncryptionKeys))
        {
            keys[key.Resource] = keys.TryGetValue(key.Resource, out var other) && other != key.Key ? "" : key.Key;
        }
        return new DeclaredAccount(definitions, iam, locations, notes.ToImmutable())
        {
            EncryptionKeys = keys.ToImmutable(),
            GeneratedRoleNames = files.SelectMany(f => f.Roles).Where(r => r.NameGenerated)
                .ToImmutableDictionary(r => r.Name, r => r.Location, StringComparer.OrdinalIgnoreCase),
        };
    }

    private static TaskDefinition ReadTaskDefinition(DeclaredTaskDefinition declared)
    {
        using var document = JsonDocument.Parse(declared.Json);
        var read = TaskDefinitionReader.Read(document.RootElement, declared.Location.ToString());
        return read.Count == 1 ? read[0] with { UnauditedFields = declared.UnauditedFields } : throw new InputException($"{declared.Location}: expected one task definition");
    }

    private static RoleDetail Detail(DeclaredRole role) => new(
        role.Name,
        role.Arn,
        role.Path,
        role.Trust.Json,
        [.. role.InlinePolicies.Select(p => new InlinePolicy(p.Name, p.Document.Json) { Unaudited = Unaudited(p.Document) })],
        [.. role.ManagedPolicyArns.Select(arn => new AttachedPolicy(ManagedPolicyName.Of(arn), arn))],
        role.BoundaryArn,
        [.. role.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new IamTag(t.Key, t.Value))])
    {
        TrustUnaudited = Unaudited(role.Trust),
    };

    // A document that cannot be read offline is missing to IAM's readers (the role's audit is incomplete, ERA005), whose
    // finding says where and why.
    private static string? Unaudited(DeclaredDocument document) =>
        document.Unreadable is { } reason ? $"{document.Location}: {reason}" : null;

    private static void Locate(SourceLocations locations, DeclaredRole role)
    {
        locations.AddRole(role.Arn, Spot(role.Location));
        locations.AddPolicy(role.Arn, new FindingSource(SourceKind.TrustPolicy, role.Name), Spot(role.Trust.Location), StatementSpots(role.Trust));
        foreach (var policy in role.InlinePolicies)
        {
            locations.AddPolicy(role.Arn, new FindingSource(SourceKind.InlinePolicy, policy.Name), Spot(policy.Document.Location), StatementSpots(policy.Document));
        }
    }

    private static SourceSpot Spot(CodeLocation location) => new(location.File, location.Line);

    private static IEnumerable<KeyValuePair<string, SourceSpot>> StatementSpots(DeclaredDocument document) =>
        document.StatementLines.Select(s => KeyValuePair.Create(s.Key, new SourceSpot(document.Location.File, s.Value)));
}
