using System.Collections.Immutable;
using System.Globalization;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Needs;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;

namespace EcsRoleAuditor.Audit.Fixes;

/// <summary>
/// The least-privilege execution role of a task definition, written from what the task definition needs of it
/// (<see cref="TaskDefinitionNeeds"/>): one Allow statement per set of actions, on the exact resources, and the trust
/// AWS recommends for ecs-tasks.amazonaws.com. What the task definition does not settle is said in <see cref="Notes"/>,
/// never filled in with a wider grant.
/// </summary>
/// <param name="RoleArn">The execution role the policy is for: the one the task definition names, or a new one when it names none or shares its task role.</param>
/// <param name="NewRole">True when <see cref="RoleArn"/> is a role to create and name in a new revision of the task definition.</param>
/// <param name="PolicyJson">The identity policy as compact IAM JSON; null when the task definition needs nothing of its execution role.</param>
/// <param name="TrustPolicyJson">The trust policy as compact IAM JSON.</param>
/// <param name="Notes">What a reader must know or decide before applying the policy, one sentence each.</param>
/// <param name="Placeholders">Values the task definition does not give and the JSON writes as a placeholder (the account); applied as they are, the role would not work.</param>
public sealed record ExecutionRoleFix(string RoleArn, bool NewRole, string? PolicyJson, string TrustPolicyJson, ImmutableArray<string> Notes, ImmutableArray<string> Placeholders)
{
    /// <summary>
    /// The key of a resource encrypted with no KMS key of its own, in the encryption keys
    /// <see cref="For(TaskDefinition, IReadOnlyDictionary{string, string}?)"/> takes: a <c>String</c> or <c>StringList</c>
    /// parameter, or a Parameter Store reference to a secret (the secret's key decrypts it, through Secrets Manager). It
    /// needs no grant and no note.
    /// </summary>
    public const string NoKey = "-";

    /// <summary>The account written where the task definition does not say which it is.</summary>
    public const string AccountPlaceholder = "ACCOUNT";

    /// <summary>
    /// The execution role <paramref name="definition"/> needs. <paramref name="encryptionKeys"/> gives the KMS key of a
    /// secret or parameter where the input knows it (infrastructure code declaring both), by the ARN the task definition
    /// names it with; the key as its declaration writes it (an ARN, a key ID or an alias), <see cref="NoKey"/> for one
    /// without a key of its own, or empty when unknown.
    /// </summary>
    public static ExecutionRoleFix For(TaskDefinition definition, IReadOnlyDictionary<string, string>? encryptionKeys = null) =>
        For(definition, encryptionKeys, current: null);

    /// <summary>
    /// As <see cref="For(TaskDefinition, IReadOnlyDictionary{string, string}?)"/>, for the execution role
    /// <paramref name="current"/> (when it exists and the policy replaces its policies): what it allows of kms:Decrypt is
    /// kept for the secrets and parameters whose key the input does not give (<see cref="KeptKmsDecrypt"/>).
    /// </summary>
    internal static ExecutionRoleFix For(TaskDefinition definition, IReadOnlyDictionary<string, string>? encryptionKeys, AuditedRole? current)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!definition.NeedsKnown(RoleSlot.Execution))
        {
            // Unknown containers would read as "needs nothing": a role written from them would stop the task from starting.
            throw new ArgumentException($"what {definition.DisplayName} needs of its execution role is unknown", nameof(definition));
        }
        var notes = ImmutableArray.CreateBuilder<string>();
        var placeholders = ImmutableArray.CreateBuilder<string>();
        var (roleArn, newRole) = TargetRole(definition, notes);
        var needs = TaskDefinitionNeeds.Derive(definition).Where(n => n.Slot == RoleSlot.Execution).ToList();
        var statements = Statements(needs.Where(n => n.Certain), "")
            .Concat(Statements(needs.Where(n => !n.Certain), "Inferred"))
            .ToList();
        foreach (var need in needs.Where(n => !n.Certain))
        {
            notes.Add($"{need.Action} on {ExecutionPlane.GrantableResource(need)} is inferred, not certain: {need.Reason}; remove it (the statement whose Sid starts with Inferred) if it is not needed.");
        }
        foreach (var need in needs.Where(n => n.ResourceIsShape && n.Action.StartsWith("secretsmanager:", StringComparison.Ordinal)).DistinctBy(n => n.Resource))
        {
            notes.Add($"{need.Reason} names the secret without its random suffix: the policy grants {need.Resource}, every secret of that name (Secrets Manager adds a hyphen and six characters).");
        }
        var widened = statements.SelectMany(s => s.Resources).Where(IsWidenedByUnknownScope).Distinct(StringComparer.Ordinal).ToList();
        if (widened.Count > 0)
        {
            notes.Add($"The task definition has no ARN and names no ARN that gives its region and account, so {FindingFactory.Summarise(widened, 3)} "
                + "say * for them: replace the * with the task's region and account.");
        }
        else if (definition.ArnScope is null && needs.Any(n => n.Action.StartsWith("logs:", StringComparison.Ordinal) || n.Action.StartsWith("ssm:", StringComparison.Ordinal)))
        {
            // TaskDefinitionNeeds completes names with the first ARN the task definition references: a guess worth a check.
            notes.Add("The task definition has no ARN: log groups and parameters it names without an ARN are placed in the account (and, where it "
                + "gives none, the region) of the first ARN it references; check them.");
        }
        var encrypted = needs.Where(n => n.Action is "secretsmanager:GetSecretValue" or "ssm:GetParameters").ToList();
        var keys = SecretKeys(encryptionKeys);
        var unresolved = new List<Need>();
        var decrypt = Decrypt(encrypted, keys, notes, unresolved);
        var keyUnknown = encrypted.Where(n => !keys.TryGetValue(SecretIdentity(n.Resource), out var key) || key.Length == 0).ToList();
        unresolved.AddRange(keyUnknown);
        var kept = current is null ? null : KeptKmsDecrypt.For(current, unresolved, decrypt);
        var unknownNames = keyUnknown.Select(n => n.Reason).Distinct(StringComparer.Ordinal).ToList();
        if (current is not null && kept?.Statement is { } keptStatement)
        {
            // The written policy replaces the current role's: without this the kms:Decrypt that lets its tasks start today goes with them.
            notes.Add($"The input does not say which KMS key encrypts {FindingFactory.Summarise([.. unresolved.Select(n => n.Reason).Distinct(StringComparer.Ordinal)], 3)}: "
                + $"the statement {KeptKmsDecrypt.Sid} keeps kms:Decrypt on {FindingFactory.Summarise([.. keptStatement.Resources], 3)}"
                + (keptStatement.Condition is { } via ? $" through {string.Join(", ", via.Values)}" : "")
                + $" from {current.Role.Name}'s {(kept.Sources.Length == 1 ? "statement" : "statements")} {FindingFactory.Summarise(kept.Sources, 3)}, which the written policy replaces, so the tasks still start "
                + "if a customer managed key encrypts them; narrow it to those keys once known, or remove it if the AWS managed key encrypts them.");
        }
        else if (unknownNames.Count > 0)
        {
            // Amazon ECS Developer Guide, "Amazon ECS task execution IAM role": a secret or SecureString parameter encrypted
            // with a customer managed key also needs kms:Decrypt on that key; the task definition does not name the key.
            notes.Add("If a secret or SecureString parameter it reads is encrypted with a customer managed KMS key (not the AWS managed key), "
                + "the role also needs kms:Decrypt on that key; "
                + (encryptionKeys is { Count: > 0 } ? $"the input does not say which key encrypts {FindingFactory.Summarise(unknownNames, 3)}." : "the task definition does not say which key."));
        }
        if (kept is not null)
        {
            notes.AddRange(kept.Notes);
        }
        if (decrypt.Count > 0)
        {
            // AWS KMS Developer Guide, "Key policies in AWS KMS": an IAM policy grants a key only where the key policy lets it.
            notes.Add("kms:Decrypt in the role's policy takes effect only where the key's policy allows the account's IAM policies to grant it (the default key policy does) or names the role.");
        }
        if (kept?.Statement is { } keep)
        {
            decrypt.Add(keep); // after the key policy note: what the role keeps works today, key policy and all
        }
        var deployTime = statements.SelectMany(s => s.Resources).Concat(decrypt.SelectMany(s => s.Resources))
            .Where(UnresolvedValue.IsDeployTime).Distinct(StringComparer.Ordinal).ToList();
        if (deployTime.Count > 0)
        {
            // Infrastructure code: the audit's stand-ins for what deployment names are no ARN to grant.
            notes.Add($"{FindingFactory.Summarise(deployTime, 3)} stand for values only deployment gives (a secret's suffix, a generated name): "
                + "write the code's own reference there (the template's !Ref or !GetAtt, the Terraform attribute).");
        }
        if (statements.Count == 0)
        {
            notes.Add($"{definition.DisplayName} needs no permission of its execution role (no private ECR image, awslogs group, secret, parameter or S3 file): the role needs no policy.");
        }
        var request = EcsAssumeRoleRequest.For(definition, roleArn);
        if (request.Account is null or AccountPlaceholder)
        {
            placeholders.Add(AccountPlaceholder);
            notes.Add($"The task's account is unknown (the task definition and its execution role are named without ARNs): replace {AccountPlaceholder} with it in the role ARN and the trust policy.");
        }
        var policy = statements.Count + decrypt.Count == 0 ? null
            : PlacementPolicyText.AllowPolicyJson(statements.Select(s => (s.Sid, s.Actions, s.Resources, (AllowCondition?)null)).Concat(decrypt));
        if (policy is not null && SizeNote(policy) is { } size)
        {
            notes.Add(size);
        }
        return new ExecutionRoleFix(roleArn, newRole, policy, request.RecommendedTrust, notes.ToImmutable(), placeholders.ToImmutable());
    }

    /// <summary>The name of the one inline policy the written role holds.</summary>
    public const string InlinePolicyName = "ecs-task-execution";

    /// <summary>The written role as the audit reads roles, parsed from the JSON as written (so what is checked is what is printed).</summary>
    public Role ToRole()
    {
        var arn = Arn.Parse(RoleArn);
        return new Role(RoleArn, arn.ResourceName, "/" + arn.ResourceId[..^arn.ResourceName.Length],
            new RolePolicy(new FindingSource(SourceKind.TrustPolicy, "trust policy"), PolicyParser.Parse(TrustPolicyJson, "trust policy", PolicyKind.Resource)),
            PolicyJson is { } policy ? [new RolePolicy(new FindingSource(SourceKind.InlinePolicy, InlinePolicyName), PolicyParser.Parse(policy, InlinePolicyName, PolicyKind.Identity))] : [],
            null, ImmutableDictionary<string, string>.Empty, []);
    }

    // IAM counts a policy's characters without whitespace: a role's inline policies may hold 10,240 in all, a managed
    // policy 6,144 (IAM User Guide, "IAM and AWS STS quotas").
    private static string? SizeNote(string policy)
    {
        var size = policy.Count(c => !char.IsWhiteSpace(c));
        return size switch
        {
            > 10_240 => string.Create(CultureInfo.InvariantCulture, $"The policy has {size:N0} characters, more than the 10,240 IAM allows in a role's inline policies: split it into managed policies of at most 6,144."),
            > 6_144 => string.Create(CultureInfo.InvariantCulture, $"The policy has {size:N0} characters, more than the 6,144 a managed policy may hold: add it as an inline policy (at most 10,240 in all)."),
            _ => null,
        };
    }

    // The role the policy is written for. A task definition that names none, or names its task role as execution role
    // too (ERA001), gets a role of its own: FAMILY-execution, in the task definition's account.
    private static (string Arn, bool New) TargetRole(TaskDefinition definition, ImmutableArray<string>.Builder notes)
    {
        var scope = definition.ArnScope;
        var named = definition.ExecutionRoleArn;
        // A service-linked role (AWSServiceRoleForECS) cannot be an execution role, nor be given a policy (ERA002).
        var serviceLinked = Arn.TryParse(named, out var namedArn) && namedArn.ResourceId.StartsWith("aws-service-role/", StringComparison.Ordinal);
        if (named is not null && !serviceLinked && !string.Equals(named, definition.TaskRoleArn, StringComparison.Ordinal))
        {
            return (Arn.TryParse(named, out _) ? named : ArnOfRole(scope, named), false);
        }
        var name = NewRoleName(definition.Family);
        var arn = ArnOfRole(scope, name);
        notes.Add(named is null
            ? $"{definition.DisplayName} names no execution role: create {name} and register a revision with executionRoleArn {arn}."
            : serviceLinked
            ? $"{definition.DisplayName} names the service-linked role {named} as execution role, which ECS cannot use: create {name} and register a revision with executionRoleArn {arn}."
            : $"{definition.DisplayName} uses {named} as both task and execution role: create {name} and register a revision with executionRoleArn {arn}; {named} stays the task role.");
        return (arn, true);
    }

    /// <summary>
    /// <c>FAMILY-execution</c>, within the 64 characters of <c>[A-Za-z0-9+=,.@_-]</c> IAM allows a role name (IAM User
    /// Guide, "IAM and AWS STS quotas"; IAM API Reference, "CreateRole") although a family may hold 255 (Amazon ECS API
    /// Reference, "RegisterTaskDefinition"): a longer family, or one with other characters (a name only deployment
    /// gives), keeps its first 45 allowed characters and a hash of the whole, so two families never share a role.
    /// </summary>
    public static string NewRoleName(string family)
    {
        ArgumentNullException.ThrowIfNull(family);
        const string Suffix = "-execution";
        const int MaxRoleName = 64;
        if (family.Length + Suffix.Length <= MaxRoleName && family.All(IsRoleNameCharacter))
        {
            return family + Suffix;
        }
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(family)), 0, 4);
        var kept = new string([.. family.Where(IsRoleNameCharacter).Take(MaxRoleName - Suffix.Length - hash.Length - 1)]);
        return $"{kept}-{hash}{Suffix}";
    }

    private static bool IsRoleNameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '=' or ',' or '.' or '@' or '_' or '-';

    private static string ArnOfRole((string Partition, string Region, string Account)? scope, string name) =>
        Arn.Create(scope?.Partition ?? "aws", "iam", "", scope is { Account.Length: > 0 } known ? known.Account : AccountPlaceholder, $"role/{name}").ToString();

    /// <summary>
    /// One statement per set of actions, each on every resource that needs exactly that set, in the order the task
    /// definition first needs them. Resources are written as a policy grants them (<see cref="ExecutionPlane.GrantableResource"/>):
    /// a log group with its streams, a secret named without its suffix as <c>NAME-??????</c>, and ecr:GetAuthorizationToken
    /// on <c>*</c>, the only resource it takes (Amazon ECR User Guide, "Private registry authentication"; Amazon ECS Developer
    /// Guide, "Amazon ECS task execution IAM role": the token is for the registry, not a repository).
    /// </summary>
    private static List<FixStatement> Statements(IEnumerable<Need> needs, string sidPrefix)
    {
        var actionsByResource = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var resources = new List<string>();
        foreach (var need in needs)
        {
            var resource = ExecutionPlane.GrantableResource(need);
            if (!actionsByResource.TryGetValue(resource, out var actions))
            {
                actionsByResource[resource] = actions = [];
                resources.Add(resource);
            }
            if (!actions.Contains(need.Action, StringComparer.Ordinal))
            {
                actions.Add(need.Action);
            }
        }
        var statements = new List<FixStatement>();
        foreach (var group in resources.GroupBy(r => string.Join(' ', actionsByResource[r]), StringComparer.Ordinal))
        {
            var actions = actionsByResource[group.First()];
            // EcrGetAuthorizationToken, Ecr (the three pull actions), Logs, SecretsmanagerGetSecretValue: the services, and the action when it is alone.
            var sid = sidPrefix + string.Concat(actions.Select(a => a[..a.IndexOf(':', StringComparison.Ordinal)]).Distinct(StringComparer.Ordinal).Select(Capitalized))
                + (actions.Count == 1 ? actions[0][(actions[0].IndexOf(':', StringComparison.Ordinal) + 1)..] : "");
            var taken = statements.Count(s => s.Sid == sid || s.Sid.StartsWith(sid, StringComparison.Ordinal) && s.Sid[sid.Length..].All(char.IsAsciiDigit));
            statements.Add(new FixStatement(taken == 0 ? sid : sid + (taken + 1), actions, [.. group]));
        }
        return statements;
    }

    /// <summary>
    /// kms:Decrypt on the customer managed keys the input names for the secrets and parameters the task reads, only as
    /// those services use it for this role: <c>kms:ViaService</c> is the service's endpoint in the resource's region
    /// (AWS KMS Developer Guide, "kms:ViaService": <c>SERVICE.REGION.amazonaws.com</c>). One statement per set of
    /// endpoints. An alias names no key a policy's Resource can hold (AWS KMS Developer Guide, "Using aliases to control
    /// access": aliases are not resources of Decrypt), and aws/secretsmanager and aws/ssm are AWS managed keys that need
    /// no grant: a note, never a guess.
    /// </summary>
    private static List<(string Sid, IReadOnlyList<string> Actions, IReadOnlyList<string> Resources, AllowCondition? Condition)> Decrypt(
        IEnumerable<Need> needs, Dictionary<string, string> keys, ImmutableArray<string>.Builder notes, List<Need> unresolved)
    {
        var viaByKey = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var need in needs)
        {
            if (!keys.TryGetValue(SecretIdentity(need.Resource), out var key) || !Arn.TryParse(need.Resource, out var resource) || key.Length == 0 || key == NoKey)
            {
                continue;
            }
            var service = need.Action[..need.Action.IndexOf(':', StringComparison.Ordinal)];
            var via = ViaService(service, resource);
            var isArn = Arn.TryParse(key, out var written);
            var isAlias = isArn ? written.Service == "kms" && written.ResourceType == "alias" : key.StartsWith("alias/", StringComparison.Ordinal);
            var keyArn = isArn ? written.Service == "kms" && written.ResourceType == "key" ? key : null
                : IsKeyId(key) ? Arn.Create(resource.Partition, "kms", resource.Region, resource.Account, "key/" + key).ToString()
                : null;
            if (keyArn is null)
            {
                if (isAlias && key.Contains("alias/aws/", StringComparison.Ordinal))
                {
                    continue; // an AWS managed key: the service's own, no grant needed
                }
                unresolved.Add(need); // the input names the key, but not as a key a policy can grant
                notes.Add(isAlias
                    ? $"{need.Reason} is encrypted with the KMS key {key}, an alias: add kms:Decrypt on the key it names (its key ARN){(via is null ? "" : $", with the condition kms:ViaService {via}")}."
                    : $"{need.Reason} names {key} as its KMS key, which is not a KMS key ID, key ARN or alias: no kms:Decrypt is written for it.");
                continue;
            }
            if (!viaByKey.TryGetValue(keyArn, out var endpoints))
            {
                viaByKey[keyArn] = endpoints = new SortedSet<string>(StringComparer.Ordinal);
                order.Add(keyArn);
            }
            if (via is not null)
            {
                endpoints.Add(via);
            }
            else
            {
                notes.Add($"kms:Decrypt on {keyArn} is written without a kms:ViaService condition: add one naming the {service} endpoint of {(HasKnownRegion(resource) ? resource.Region : "its region")} to keep the key to that service.");
            }
        }
        var statements = new List<(string, IReadOnlyList<string>, IReadOnlyList<string>, AllowCondition?)>();
        foreach (var group in order.GroupBy(k => string.Join(' ', viaByKey[k]), StringComparer.Ordinal))
        {
            var via = viaByKey[group.First()];
            statements.Add((statements.Count == 0 ? "KmsDecrypt" : $"KmsDecrypt{statements.Count + 1}", ["kms:Decrypt"], [.. group],
                via.Count == 0 ? null : new AllowCondition("StringEquals", "kms:ViaService", [.. via])));
        }
        return statements;
    }

    // The keys by the identity of what they encrypt: a secret declared with the suffix Secrets Manager will add (NAME-XXXXXX)
    // is the secret a task definition names without one (NAME, granted as NAME-??????).
    private static Dictionary<string, string> SecretKeys(IReadOnlyDictionary<string, string>? keys)
    {
        var byIdentity = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (resource, key) in keys ?? ImmutableDictionary<string, string>.Empty)
        {
            var identity = SecretIdentity(resource);
            byIdentity[identity] = byIdentity.TryGetValue(identity, out var other) && other != key ? "" : key;
        }
        return byIdentity;
    }

    private static string SecretIdentity(string resource) =>
        resource.EndsWith("-" + UnresolvedValue.SecretSuffix, StringComparison.Ordinal) ? resource[..^(UnresolvedValue.SecretSuffix.Length + 1)]
        : resource.EndsWith("-??????", StringComparison.Ordinal) ? resource[..^7]
        : resource;

    /// <summary>
    /// <c>SERVICE.REGION.amazonaws.com</c>, the kms:ViaService value the AWS KMS Developer Guide gives ("kms:ViaService"),
    /// for the commercial and GovCloud partitions; null elsewhere, and where the resource's region is unknown (under
    /// StringEquals, <c>secretsmanager.*.amazonaws.com</c> would match nothing): no condition beats a wrong one.
    /// </summary>
    internal static string? ViaService(string service, Arn resource) =>
        resource.Partition is "aws" or "aws-us-gov" && HasKnownRegion(resource) ? $"{service}.{resource.Region}.amazonaws.com" : null;

    private static bool HasKnownRegion(Arn resource) =>
        resource.Region.Length > 0 && !Policy.Matching.Wildcard.HasWildcard(resource.Region) && !UnresolvedValue.IsIn(resource.Region);

    // A key ID: a UUID, a multi-Region key's mrk- and 32 hex digits, or the Ref of a key the code declares (an unknown).
    private static bool IsKeyId(string key) =>
        Guid.TryParseExact(key, "D", out _) || key.StartsWith("mrk-", StringComparison.Ordinal) && key.Length == 36 && key[4..].All(char.IsAsciiHexDigit) || UnresolvedValue.IsWhole(key);

    private static string Capitalized(string service) => service.Length == 0 ? service : char.ToUpperInvariant(service[0]) + service[1..];

    // An ARN the needs completed with * for the region or account (TaskDefinitionNeeds' fallback when neither the task
    // definition nor any ARN it references says them): wider than the task needs.
    private static bool IsWidenedByUnknownScope(string resource) =>
        Arn.TryParse(resource, out var arn) && (arn.Region == "*" || arn.Account == "*");

    private sealed record FixStatement(string Sid, IReadOnlyList<string> Actions, IReadOnlyList<string> Resources);
}
