using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using EcsRoleAuditor.Audit.Fixes;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.InfrastructureCode.Declared;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.InfrastructureCode.Terraform;

/// <summary>
/// Reads a Terraform plan (<c>terraform show -json plan.out</c>) as what it declares: the <c>aws_ecs_task_definition</c>,
/// <c>aws_iam_role</c>, <c>aws_iam_role_policy</c>, <c>aws_iam_role_policy_attachment</c> and <c>aws_iam_policy</c>
/// resources as the plan leaves them, with <c>aws_iam_policy_document</c> data sources behind their policies. Values known
/// only after apply are never guessed (docs/terraform.md).
/// </summary>
public static partial class TerraformPlanReader
{

    /// <summary>Reads the plan's declarations; throws <see cref="InputException"/> naming <paramref name="source"/> and the JSON path when it is not a plan or a value has the wrong type.</summary>
    /// <param name="root">The plan's JSON, parsed with <see cref="JsonInput"/> (size cap, no duplicate keys).</param>
    /// <param name="source">The file, as the user named it.</param>
    /// <param name="options">The account and region the plan is applied in, when the command line gives them.</param>
    public static DeclaredResources Read(JsonElement root, string source, TerraformPlanOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var fields = new JsonFields(source);
        var plan = TerraformPlan.Read(root, fields);
        var notes = ImmutableArray.CreateBuilder<string>();
        notes.AddRange(plan.Notes);
        var arns = Settle(plan, options, notes);
        var documents = new PlanPolicyDocuments(plan, arns, notes);
        var managed = plan.Resources.Where(r => !r.IsData).ToList();

        var policies = new Dictionary<string, DeclaredManagedPolicy>(StringComparer.Ordinal);
        foreach (var resource in managed.Where(r => r.Type == "aws_iam_policy"))
        {
            var location = Location(plan, resource);
            var path = resource.Values["path"].Text() ?? "/";
            var name = Name(resource, "policy", notes);
            policies[resource.Address] = new DeclaredManagedPolicy(name, resource.Values["arn"].Text() ?? Arn.Create(arns.Partition, "iam", "", arns.Account, $"policy{path}{name}").ToString(), path,
                documents.Attribute(resource, resource.Values["policy"], ["policy"], location), location);
        }

        var roles = new Dictionary<string, RoleDraft>(StringComparer.Ordinal);
        foreach (var resource in managed.Where(r => r.Type == "aws_iam_role"))
        {
            roles[resource.Address] = Role(resource, plan, documents, policies, arns, notes);
        }
        foreach (var resource in managed.Where(r => r.Type == "aws_iam_role_policy"))
        {
            if (RoleOf(resource, plan, roles, notes) is { } role)
            {
                role.Inline.Add(new DeclaredInlinePolicy(Name(resource, "policy", notes),
                    documents.Attribute(resource, resource.Values["policy"], ["policy"], Location(plan, resource))));
            }
        }
        foreach (var resource in managed.Where(r => r.Type == "aws_iam_role_policy_attachment"))
        {
            if (RoleOf(resource, plan, roles, notes) is { } role)
            {
                Attach(role, resource, resource.Values["policy_arn"], ["policy_arn"], plan, policies);
            }
        }

        var taskDefinitions = new PlanTaskDefinitions(plan, arns, role => roles.GetValueOrDefault(role.Address)?.Arn);
        return new DeclaredResources(
            source,
            [.. managed.Where(r => r.Type == "aws_ecs_task_definition").Select(taskDefinitions.Write)],
            [.. roles.Values.Select(r => r.ToDeclared())],
            [.. policies.Values],
            notes.ToImmutable())
        {
            EncryptionKeys = EncryptionKeys(plan),
        };
    }

    // The key of each secret and parameter whose ARN the plan knows (an existing one, or a data source), by that ARN, which
    // is how container_definitions names it. A secret without kms_key_id uses aws/secretsmanager (Secrets Manager API
    // Reference, CreateSecret, KmsKeyId: "If you don't specify this value, then Secrets Manager uses the key
    // aws/secretsmanager"); a SecureString parameter without key_id uses the account's default key, aws/ssm (Systems Manager
    // API Reference, PutParameter, KeyId); a String or StringList parameter is not encrypted, so it has no key
    // (ExecutionRoleFix.NoKey). A key known only after apply, or a SecureString data source (which does
    // not say its key), is unknown (empty): never guessed.
    private static ImmutableArray<DeclaredEncryptionKey> EncryptionKeys(TerraformPlan plan)
    {
        var keys = ImmutableArray.CreateBuilder<DeclaredEncryptionKey>();
        foreach (var resource in plan.Resources)
        {
            var values = resource.Values;
            if (values["arn"].Text() is not { Length: > 0 } arn)
            {
                continue;
            }
            var key = resource.Type switch
            {
                "aws_secretsmanager_secret" => values["kms_key_id"] switch
                {
                    { IsUnknown: true } => "",
                    var written => written.Text() is { Length: > 0 } id ? id : "alias/aws/secretsmanager",
                },
                "aws_ssm_parameter" => values["type"].Text() switch
                {
                    "String" or "StringList" => ExecutionRoleFix.NoKey,
                    "SecureString" when !resource.IsData => values["key_id"] switch
                    {
                        { IsUnknown: true } => "",
                        var written => written.Text() is { Length: > 0 } id ? id : AwsManagedParameterKey,
                    },
                    _ => "",
                },
                _ => null,
            };
            if (key is not null)
            {
                keys.Add(new DeclaredEncryptionKey(arn, key, Location(plan, resource)));
            }
        }
        return keys.ToImmutable();
    }

    private const string AwsManagedParameterKey = "alias/aws/ssm";

    private static RoleDraft Role(PlannedResource resource, TerraformPlan plan, PlanPolicyDocuments documents, Dictionary<string, DeclaredManagedPolicy> policies,
        PlanArns arns, ImmutableArray<string>.Builder notes)
    {
        var values = resource.Values;
        var location = Location(plan, resource);
        var path = values["path"].Text() ?? "/";
        if (values["path"].IsUnknown)
        {
            notes.Add($"{location}: the role's path is known only after apply; its ARN is built with the path /");
        }
        var name = Name(resource, "role", notes);
        var arn = values["arn"].Text() ?? Arn.Create(arns.Partition, "iam", "", arns.Account, $"role{path}{name}").ToString();
        var role = new RoleDraft(name, arn, path, documents.Attribute(resource, values["assume_role_policy"], ["assume_role_policy"], location), location)
        {
            Tags = PlanTaskDefinitions.Tags(values).ToImmutableDictionary(StringComparer.Ordinal),
            NameGenerated = values["name"].IsUnknown || values["name"].Text() is not { Length: > 0 },
        };
        // The provider computes inline_policy and managed_policy_arns from the role's policies when the configuration sets
        // them not; the plan then knows them only after apply, and the policy resources below say what they will be.
        if (values["inline_policy"].IsUnknown && plan.MayConfigure(resource, "inline_policy"))
        {
            role.Inline.Add(new DeclaredInlinePolicy("inline_policy", new DeclaredDocument(null, "the inline_policy blocks are known only after apply", location)));
        }
        foreach (var (block, i) in values["inline_policy"].Items())
        {
            // The provider reads an inline_policy block without name and policy as "no inline policies".
            if (block["name"].IsNull && block["policy"].IsNull)
            {
                continue;
            }
            var blockLocation = location with { Address = $"{resource.Address}.inline_policy[{i}]" };
            role.Inline.Add(new DeclaredInlinePolicy(block["name"].Text() ?? $"inline_policy[{i}]",
                documents.Attribute(resource, block["policy"], ["inline_policy", i, "policy"], blockLocation)));
        }
        if (!values["managed_policy_arns"].IsUnknown || plan.MayConfigure(resource, "managed_policy_arns"))
        {
            Attach(role, resource, values["managed_policy_arns"], ["managed_policy_arns"], plan, policies);
        }
        var boundary = values["permissions_boundary"];
        if (boundary.IsUnknown)
        {
            role.Boundary = plan.Resolve(resource, plan.References(resource, "permissions_boundary")) is ({ IsData: false, Type: "aws_iam_policy" } policy, "arn" or "")
                && policies.TryGetValue(policy.Address, out var declared)
                ? declared.Arn
                : UnresolvedBoundary(role, arns, notes);
        }
        else
        {
            role.Boundary = boundary.Text() is { Length: > 0 } text ? text : null;
        }
        return role;
    }

    // A boundary that may deny what the role's policies allow cannot be left out; a policy no file declares makes the
    // role's audit incomplete, as an unexported boundary does.
    private static string UnresolvedBoundary(RoleDraft role, PlanArns arns, ImmutableArray<string>.Builder notes)
    {
        var arn = Arn.Create(arns.Partition, "iam", "", arns.Account, $"policy/unresolved-permissions-boundary-of-{role.Name}").ToString();
        notes.Add($"{role.Location}: the permissions boundary is known only after apply; the role's audit is incomplete ({arn} stands for it)");
        return arn;
    }

    // Managed policy ARNs from managed_policy_arns or an attachment: known ones as they are, an unknown one the ARN of
    // the declared aws_iam_policy it references, anything else an unreadable policy so the role's audit says it is incomplete.
    private static void Attach(RoleDraft role, PlannedResource resource, PlanValue value, object[] configPath, TerraformPlan plan, Dictionary<string, DeclaredManagedPolicy> policies)
    {
        if (value.Value is { ValueKind: JsonValueKind.String } || (value.IsUnknown && configPath is ["policy_arn"]))
        {
            if (value.Text() is { Length: > 0 } arn)
            {
                role.ManagedPolicyArns.Add(arn);
                return;
            }
        }
        else
        {
            role.ManagedPolicyArns.AddRange(value.Items().Where(i => !i.Item.IsUnknown).Select(i => i.Item.Text()!));
        }
        if (!value.HasUnknown)
        {
            return;
        }
        var references = plan.References(resource, configPath);
        var declared = references.Select(r => plan.Resolve(resource, [r]))
            .Where(r => r is ({ IsData: false, Type: "aws_iam_policy" }, "arn" or "") && policies.ContainsKey(r.Value.Resource.Address))
            .Select(r => policies[r!.Value.Resource.Address].Arn)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var unknownCount = value.IsUnknown ? (int?)null : value.Items().Count(i => i.Item.IsUnknown);
        if (declared.Count > 0 && (unknownCount is null && configPath is ["policy_arn"] ? declared.Count == 1 : declared.Count == unknownCount))
        {
            role.ManagedPolicyArns.AddRange(declared);
            return;
        }
        role.Inline.Add(new DeclaredInlinePolicy($"{resource.Address}.{configPath[0]}", new DeclaredDocument(null,
            $"a managed policy attached here is known only after apply{TerraformPlan.Describe(references)}", Location(plan, resource))));
    }

    // aws_iam_role_policy and aws_iam_role_policy_attachment name their role by name (or by the role's id, its name).
    private static RoleDraft? RoleOf(PlannedResource resource, TerraformPlan plan, Dictionary<string, RoleDraft> roles, ImmutableArray<string>.Builder notes)
    {
        var value = resource.Values["role"];
        if (value.IsUnknown)
        {
            if (plan.Resolve(resource, plan.References(resource, "role")) is ({ IsData: false, Type: "aws_iam_role" } role, _) && roles.TryGetValue(role.Address, out var draft))
            {
                return draft;
            }
            notes.Add($"{Location(plan, resource)}: its role is known only after apply and is not a role of this plan; it is not audited");
            return null;
        }
        var name = value.Text() ?? "";
        name = Arn.TryParse(name, out var arn) ? arn.ResourceName : name;
        if (roles.Values.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)) is { } named)
        {
            return named;
        }
        notes.Add($"{Location(plan, resource)}: the role {JsonInput.Shown(name)} is not declared in this plan; this policy is not audited with it");
        return null;
    }

    // IAM generates a name when the configuration gives none (name_prefix, or neither): a stand-in made from the address keeps it unique and recognisable.
    private static string Name(PlannedResource resource, string what, ImmutableArray<string>.Builder notes)
    {
        var name = resource.Values["name"];
        if (!name.IsUnknown && name.Text() is { Length: > 0 } text)
        {
            return text;
        }
        var prefix = resource.Values["name_prefix"].Text() ?? "terraform-";
        var standIn = prefix + NotInName().Replace(resource.Address, "-");
        notes.Add($"{resource.Values.Fields.Source} ({resource.Address}): the {what} name is generated at apply; it is audited as {standIn}");
        return standIn;
    }

    // The account of ARNs the reader builds: the command line's, the plan's aws_caller_identity, the account of the
    // plan's known IAM ARNs, any known ARN's, else the stand-in (a marker would parse there too, but the trust rules
    // read the role's account literally, so it would only make every ARN in the report harder to read).
    private static PlanArns Settle(TerraformPlan plan, TerraformPlanOptions options, ImmutableArray<string>.Builder notes)
    {
        var known = plan.Resources
            .Select(r => (r.Type, Arn: r.Values["arn"].IsUnknown || r.Values["arn"].Value is not { ValueKind: JsonValueKind.String } ? null : r.Values["arn"].Text()))
            .Where(r => r.Arn is not null)
            .Select(r => (r.Type, Parsed: Arn.TryParse(r.Arn, out var arn) ? arn : (Arn?)null))
            .Where(r => r.Parsed is not null)
            .Select(r => (r.Type, Arn: r.Parsed!.Value))
            .ToList();
        var identity = plan.Resources.FirstOrDefault(r => r.IsData && r.Type == "aws_caller_identity")?.Values["account_id"].Text();
        var fromArns = known.Where(k => AccountId().IsMatch(k.Arn.Account)).OrderByDescending(k => k.Arn.Service == "iam").Select(k => k.Arn.Account).FirstOrDefault();
        var account = options.Account ?? identity ?? fromArns;
        if (account is null)
        {
            notes.Add($"{plan.Source}: no account is known (no --account, no aws_caller_identity, no known ARN): roles whose ARN is known only after apply are audited in the stand-in account {StandIns.Account}; give --account");
        }
        var region = options.Region ?? plan.ProviderRegion;
        var partition = region is not null ? Aws.Connection.AwsConnection.PartitionOf(region)
            : plan.Resources.FirstOrDefault(r => r.IsData && r.Type == "aws_partition")?.Values["partition"].Text()
            ?? known.Select(k => k.Arn.Partition).FirstOrDefault(Arn.Partitions.Contains)
            ?? "aws";
        return new PlanArns(partition, account ?? StandIns.Account, account is not null, region);
    }


    private static CodeLocation Location(TerraformPlan plan, PlannedResource resource) => new(plan.Source, null, resource.Address);

    [GeneratedRegex("^[0-9]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountId();

    [GeneratedRegex(@"[^A-Za-z0-9+=,.@_-]", RegexOptions.CultureInvariant)]
    private static partial Regex NotInName();

    private sealed class RoleDraft(string name, string arn, string path, DeclaredDocument trust, CodeLocation location)
    {
        public string Name { get; } = name;

        public string Arn { get; } = arn;

        public CodeLocation Location { get; } = location;

        public List<DeclaredInlinePolicy> Inline { get; } = [];

        public List<string> ManagedPolicyArns { get; } = [];

        public string? Boundary { get; set; }

        public ImmutableDictionary<string, string> Tags { get; init; } = ImmutableDictionary<string, string>.Empty;

        public bool NameGenerated { get; init; }

        public DeclaredRole ToDeclared() => new(Name, Arn, path, trust, [.. Inline], [.. ManagedPolicyArns.Distinct(StringComparer.Ordinal)], Boundary, Tags, Location)
        {
            NameGenerated = NameGenerated,
        };
    }
}
