using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Aws.Offline;

/// <summary>
/// IAM answered from a saved <c>aws iam get-account-authorization-details --output json</c> (policy documents as JSON
/// objects, as the AWS CLI prints them, or as the API's URL-encoded strings), so the offline audit reads roles through
/// the same directories as the live one. It answers as IAM does: names ignore case, every list is one page, a role the
/// account does not hold is <c>NoSuchEntity</c>. What the file leaves out is never answered as "nothing": a list or a
/// document missing from the file, a managed policy it does not hold, or any role when it holds none fail with
/// <see cref="NotRecordedCode"/> and a message naming the file, the place and the export that would hold it, unless
/// an AWS managed policy is known to the <see cref="IAwsManagedPolicyFallback"/> given to <c>Read</c> (its version then
/// marked as the fallback's). Reading refuses a file that cannot be this output or that lists a role, policy or version twice.
/// </summary>
public sealed class RecordedIam : IIamApi
{
    /// <summary>The error code of an answer the file does not hold (the audit of what needs it is incomplete, not clean).</summary>
    public const string NotRecordedCode = "NotRecorded";

    private readonly Dictionary<string, RecordedRole> _roles;
    private readonly Dictionary<string, RecordedPolicy> _policies;
    private readonly ManagedPolicyCache _cache = new();

    private readonly bool _holdsEveryRole;

    private RecordedIam(string source, Dictionary<string, RecordedRole> roles, Dictionary<string, RecordedPolicy> policies, bool holdsEveryRole = true)
    {
        _holdsEveryRole = holdsEveryRole;
        Source = source;
        _roles = roles;
        _policies = policies;
        // get-account-authorization-details describes the caller's account only; its role ARNs say which one.
        Accounts = [.. roles.Values.Select(r => Arn.TryParse(r.Role.Arn, out var arn) ? arn.Account : "").Where(a => a.Length > 0)];
    }

    /// <summary>The file the answers come from.</summary>
    public string Source { get; }

    /// <summary>The accounts the file's roles belong to (one, for a file the AWS CLI wrote).</summary>
    public ImmutableSortedSet<string> Accounts { get; }

    /// <summary>The account the file describes, when its roles name exactly one.</summary>
    public string? AccountId => Accounts.Count == 1 ? Accounts.Min : null;

    /// <summary>How the role directories read this file: its account, its own policy cache (a file's versions are not IAM's), its name in problems.</summary>
    public IamRoleDirectoryOptions DirectoryOptions => new(AccountId, Cache: _cache, Source: Source) { HoldsEveryRole = _holdsEveryRole };

    /// <summary>Reads the file's JSON; throws <see cref="InputException"/> naming the JSON path of what is wrong.</summary>
    public static RecordedIam Read(JsonElement root, string source) => Read(root, source, awsManagedPolicies: null);

    /// <summary>
    /// Reads the file's JSON as <see cref="Read(JsonElement, string)"/> does; an AWS managed policy a role attaches (or
    /// has as its boundary) that the file does not list is then answered from <paramref name="awsManagedPolicies"/> when
    /// it knows the policy, its version id marked with where the document came from (<see cref="FallbackVersionId"/>),
    /// so findings show it was not read from the account. The file's own copy always wins, even an incomplete one; a
    /// customer managed policy never falls back.
    /// </summary>
    public static RecordedIam Read(JsonElement root, string source, IAwsManagedPolicyFallback? awsManagedPolicies)
    {
        var fields = new JsonFields(source);
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("RoleDetailList", out _))
        {
            throw fields.Error("$", "expected the output of 'aws iam get-account-authorization-details' (an object with \"RoleDetailList\")");
        }
        var policies = ReadManagedPolicies(root, fields);
        var roles = new Dictionary<string, RecordedRole>(StringComparer.OrdinalIgnoreCase);
        var arns = new FirstPlaces(fields, "role", "; each role is listed once, and a second copy would hide one of them");
        var names = new FirstPlaces(fields, "role name", " (IAM role names are unique in an account, ignoring case)");
        foreach (var (item, path) in fields.Objects(root, "RoleDetailList", "$"))
        {
            var role = ReadRole(item, path, fields);
            arns.Add(role.Role.Arn, path);
            names.Add(role.Role.RoleName, path);
            roles[role.Role.RoleName] = role;
        }
        if (awsManagedPolicies is not null)
        {
            AddFallbackPolicies(roles.Values, policies, awsManagedPolicies);
        }
        return new RecordedIam(source, roles, policies);
    }

    /// <summary>
    /// IAM answers for roles and managed policies declared elsewhere (infrastructure code), read as a file's are; each
    /// role must hold its lists (null is "not exported", which infrastructure code always knows). Declarations hold
    /// only their own roles: another role is not recorded (unknown), never absent.
    /// </summary>
    /// <exception cref="InputException">A role name or a policy ARN given twice (naming <paramref name="source"/>).</exception>
    public static RecordedIam Create(string source, IEnumerable<RoleDetail> roles, IEnumerable<ManagedPolicyDetail> policies, IAwsManagedPolicyFallback? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(policies);
        var byName = new Dictionary<string, RecordedRole>(StringComparer.OrdinalIgnoreCase);
        foreach (var role in roles)
        {
            if (!byName.TryAdd(role.RoleName, new RecordedRole(role, source)))
            {
                throw new InputException($"{source}: the role {role.RoleName} is declared twice (IAM role names are unique in an account, ignoring case)");
            }
        }
        var byArn = new Dictionary<string, RecordedPolicy>(StringComparer.Ordinal);
        foreach (var policy in policies)
        {
            if (!byArn.TryAdd(policy.Arn, new RecordedPolicy(policy)))
            {
                throw new InputException($"{source}: the managed policy {policy.Arn} is declared twice");
            }
        }
        if (fallback is not null)
        {
            AddFallbackPolicies(byName.Values, byArn, fallback);
        }
        return new RecordedIam(source, byName, byArn, holdsEveryRole: false);
    }

    /// <summary>
    /// These answers with <paramref name="declared"/>'s roles and managed policies in place of this file's: what
    /// infrastructure code declares is what the next deployment makes, and the file describes the account today.
    /// </summary>
    /// <param name="declared">The declared roles and policies.</param>
    /// <param name="replaced">The role names and policy ARNs both hold, for the caller to say that the declaration won.</param>
    public RecordedIam Overlay(RecordedIam declared, out IReadOnlyList<string> replaced)
    {
        ArgumentNullException.ThrowIfNull(declared);
        var roles = new Dictionary<string, RecordedRole>(_roles, StringComparer.OrdinalIgnoreCase);
        var policies = new Dictionary<string, RecordedPolicy>(_policies, StringComparer.Ordinal);
        var both = new List<string>();
        foreach (var (name, role) in declared._roles)
        {
            if (roles.ContainsKey(name))
            {
                both.Add(role.Detail.Arn);
            }
            roles[name] = role;
        }
        foreach (var (arn, policy) in declared._policies)
        {
            // Declarations hold AWS managed policies only from the fallback: the export's own copy wins.
            if (policy.IsAwsManaged && policies.ContainsKey(arn))
            {
                continue;
            }
            if (!policies.TryAdd(arn, policy))
            {
                both.Add(arn);
                policies[arn] = policy;
            }
        }
        replaced = both;
        return new RecordedIam($"{declared.Source} and {Source}", roles, policies, _holdsEveryRole);
    }

    /// <summary>The version id of a document from a fallback, as GetPolicy answers it and findings show it: <c>v1, from the embedded AWS managed policies of ...</c>.</summary>
    public static string FallbackVersionId(string versionId, string origin) => $"{versionId}, from {origin}";

    // Only the policies the file's roles reference: those are all any directory asks for, and the bulk answer stays the file's size.
    private static void AddFallbackPolicies(IEnumerable<RecordedRole> roles, Dictionary<string, RecordedPolicy> policies, IAwsManagedPolicyFallback fallback)
    {
        var referenced = roles
            .SelectMany(r => (r.Attached ?? []).Select(p => p.PolicyArn).Append(r.Role.PermissionsBoundaryArn))
            .OfType<string>()
            .Where(ManagedPolicyName.IsAwsManaged)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        foreach (var arn in referenced)
        {
            if (policies.ContainsKey(arn) || fallback.Find(arn) is not { } known || !string.Equals(known.Arn, arn, StringComparison.Ordinal))
            {
                continue;
            }
            var versionId = FallbackVersionId(known.VersionId, fallback.Origin);
            policies[arn] = new RecordedPolicy(new ManagedPolicyDetail(known.PolicyName, arn, known.Path, versionId, [new ManagedPolicyVersion(versionId, true, known.Document)]));
        }
    }

    /// <inheritdoc/>
    public Task<IamRole> GetRoleAsync(string roleName, CancellationToken cancellationToken) =>
        Answer(() => Role(roleName).Role, cancellationToken);

    /// <inheritdoc/>
    public Task<Page<string>> ListRolePoliciesAsync(string roleName, string? marker, CancellationToken cancellationToken) =>
        Answer(() =>
        {
            var role = Role(roleName);
            return new Page<string>([.. (role.Inline ?? throw role.MissingList("RolePolicyList", "inline policies")).Select(p => p.PolicyName)], null);
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<string> GetRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken) =>
        Answer(() =>
        {
            var role = Role(roleName);
            var policy = (role.Inline ?? throw role.MissingList("RolePolicyList", "inline policies"))
                .FirstOrDefault(p => string.Equals(p.PolicyName, policyName, StringComparison.Ordinal))
                ?? throw NoSuchEntity($"The role policy with name {policyName} cannot be found.");
            return policy.Document ?? throw MissingDocument($"{Source}: {role.Role.Arn} inline policy {policyName}", policy.Unaudited);
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<Page<AttachedPolicy>> ListAttachedRolePoliciesAsync(string roleName, string? marker, CancellationToken cancellationToken) =>
        Answer(() =>
        {
            var role = Role(roleName);
            return new Page<AttachedPolicy>(role.Attached ?? throw role.MissingList("AttachedManagedPolicies", "attached managed policies"), null);
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<ManagedPolicyInfo> GetPolicyAsync(string policyArn, CancellationToken cancellationToken) =>
        Answer(() =>
        {
            var policy = Policy(policyArn);
            return new ManagedPolicyInfo(policy.Detail.PolicyName, policy.Detail.Arn, policy.Detail.Path,
                policy.Detail.DefaultVersionId ?? throw NotRecorded(MissingPolicy(Source, policyArn)));
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<string> GetPolicyVersionAsync(string policyArn, string versionId, CancellationToken cancellationToken) =>
        Answer(() =>
        {
            var policy = Policy(policyArn);
            var version = policy.Detail.Versions.FirstOrDefault(v => string.Equals(v.VersionId, versionId, StringComparison.Ordinal))
                ?? throw NotRecorded(MissingPolicy(Source, policyArn));
            return version.Document ?? throw MissingDocument($"{Source}: {policyArn} {versionId}", version.Unaudited);
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<AuthorizationDetailsPage> GetAccountAuthorizationDetailsAsync(IReadOnlyList<string> filter, string? marker, CancellationToken cancellationToken) =>
        Answer(() =>
        {
            ArgumentNullException.ThrowIfNull(filter);
            var wantsRoles = filter.Contains("Role", StringComparer.Ordinal);
            if (wantsRoles && _roles.Count == 0)
            {
                throw NoRoles();
            }
            IReadOnlyList<RoleDetail> roles = wantsRoles ? [.. _roles.Values.Select(r => r.Detail)] : [];
            IReadOnlyList<ManagedPolicyDetail> policies = [.. _policies.Values
                .Where(p => filter.Contains(p.IsAwsManaged ? "AWSManagedPolicy" : "LocalManagedPolicy", StringComparer.Ordinal))
                .Select(p => p.Detail)];
            return new AuthorizationDetailsPage(roles, policies, null);
        }, cancellationToken);

    // Failures come back in the task, as from a client that went to the network.
    private static Task<T> Answer<T>(Func<T> answer, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }
        try
        {
            return Task.FromResult(answer());
        }
        catch (AmazonServiceException e)
        {
            return Task.FromException<T>(e);
        }
    }

    private RecordedRole Role(string roleName)
    {
        ArgumentNullException.ThrowIfNull(roleName);
        if (_roles.TryGetValue(roleName, out var role))
        {
            return role; // a declared role named by the same unknown value is that role
        }
        throw UnknownRole(Source, roleName, _holdsEveryRole) ?? (_roles.Count == 0 ? NoRoles() : NoSuchEntity($"The role with name {roleName} cannot be found."));
    }

    /// <summary>
    /// Why a role a recording does not hold is unknown rather than absent, or null when its absence is the answer: the
    /// one rule for both role directories.
    /// </summary>
    internal static NotRecordedException? UnknownRole(string source, string roleName, bool holdsEveryRole) =>
        // Infrastructure code named the role by a value only deployment settles (an import, a parameter without a value).
        UnresolvedValue.IsIn(roleName)
            ? NotRecorded($"{source}: the role is named by {roleName}, a value known only at deployment, so which role it is cannot be told offline",
                IncompleteAuditRule.DeployTimeRemediation)
        // Declarations hold only their own roles: they cannot say another is absent.
        : !holdsEveryRole
            ? NotRecorded($"{source} does not declare the role {roleName}, and no export of the account says whether it exists (give one with --iam)",
                IncompleteAuditRule.UndeclaredRoleRemediation)
        : null;

    private RecordedPolicy Policy(string policyArn)
    {
        ArgumentNullException.ThrowIfNull(policyArn);
        return _policies.TryGetValue(policyArn, out var policy) ? policy : throw NotRecorded(MissingPolicy(Source, policyArn));
    }

    // The words for what a recording lacks, one place for both role directories: the same file audits the same whichever reads it.

    /// <summary>A managed policy whose default version the file does not hold, and the export that would.</summary>
    internal static string MissingPolicy(string source, string policyArn) =>
        // get-account-authorization-details lists AWS managed policies under the AWSManagedPolicy filter, customer managed ones under LocalManagedPolicy.
        $"{source} does not hold the default version of the managed policy {policyArn} (run get-account-authorization-details without --filter, or include "
        + $"{(ManagedPolicyName.IsAwsManaged(policyArn) ? "AWSManagedPolicy" : "LocalManagedPolicy")})";

    /// <summary>A role exported without one of its policy lists.</summary>
    internal static string MissingList(string source, string roleArn, string list, string what) =>
        $"{source}: {roleArn} has no {list}, so the role's {what} are unknown (export the role with get-account-authorization-details --filter Role)";

    /// <summary>
    /// A policy document an answer leaves out; <paramref name="origin"/> names where it should have been (the directories'
    /// origin). A recording may leave it out on purpose (<paramref name="unaudited"/>: a value known only at deployment),
    /// which says why and gives the remedy for it.
    /// </summary>
    internal static NotRecordedException MissingDocument(string origin, string? unaudited) => unaudited is null
        ? NotRecorded($"{origin}: the policy document is missing")
        : NotRecorded(unaudited, IncompleteAuditRule.DeployTimeRemediation);

    private NotRecordedException NoRoles() =>
        NotRecorded($"{Source} holds no roles, so it cannot tell whether a role exists (export it with --filter Role)");

    internal static NotRecordedException NotRecorded(string message, string? remedy = null) => new(message, remedy);

    private static AmazonServiceException NoSuchEntity(string message) =>
        new(message) { ErrorCode = "NoSuchEntity", StatusCode = HttpStatusCode.NotFound };

    private sealed record RecordedRole(RoleDetail Detail, string Source)
    {
        public IamRole Role { get; } = new(Detail.RoleName, Detail.Arn, Detail.Path, Detail.AssumeRolePolicyDocument, Detail.PermissionsBoundaryArn, Detail.Tags)
        {
            TrustUnaudited = Detail.TrustUnaudited,
        };

        public IReadOnlyList<InlinePolicy>? Inline => Detail.InlinePolicies;

        public IReadOnlyList<AttachedPolicy>? Attached => Detail.AttachedPolicies;

        // A role without these lists was not exported whole: answering "none" would be a clean pass on what was never seen.
        public NotRecordedException MissingList(string list, string what) => NotRecorded(RecordedIam.MissingList(Source, Detail.Arn, list, what));
    }

    private sealed record RecordedPolicy(ManagedPolicyDetail Detail)
    {
        public bool IsAwsManaged => ManagedPolicyName.IsAwsManaged(Detail.Arn);
    }

    /// <summary>Where each ARN or name was first seen in the file: a second one is refused, naming both places, never read last-wins.</summary>
    private sealed class FirstPlaces(JsonFields fields, string what, string why)
    {
        private readonly Dictionary<string, string> _paths = new(StringComparer.OrdinalIgnoreCase);

        public void Add(string key, string path)
        {
            if (!_paths.TryAdd(key, path))
            {
                throw fields.Error(path, $"the {what} {key} is also at {_paths[key]}{why}");
            }
        }
    }

    private static Dictionary<string, RecordedPolicy> ReadManagedPolicies(JsonElement root, JsonFields fields)
    {
        var policies = new Dictionary<string, RecordedPolicy>(StringComparer.Ordinal);
        var arns = new FirstPlaces(fields, "policy", "; each managed policy is listed once, and a second copy would hide one of them");
        foreach (var (item, path) in fields.Objects(root, "Policies", "$"))
        {
            var arn = fields.RequiredString(item, "Arn", path);
            arns.Add(arn, path);
            var defaultVersion = fields.OptionalString(item, "DefaultVersionId", path);
            string? flaggedDefault = null;
            // Two copies of a version, or two default versions, would let the later one hide the other (an admin grant).
            var ids = new FirstPlaces(fields, "version", " of this policy; IAM gives each version its own ID");
            var defaults = new FirstPlaces(fields, "default version", "; a policy has one default version");
            var versions = new List<ManagedPolicyVersion>();
            foreach (var (version, versionPath) in fields.Objects(item, "PolicyVersionList", path))
            {
                var id = fields.OptionalString(version, "VersionId", versionPath);
                var isDefault = version.TryGetProperty("IsDefaultVersion", out var flag) && flag.ValueKind == JsonValueKind.True;
                if (id is not null)
                {
                    ids.Add(id, versionPath);
                }
                if (isDefault)
                {
                    defaults.Add("of this policy", versionPath);
                    flaggedDefault = id;
                }
                if (id is null)
                {
                    continue;
                }
                versions.Add(new ManagedPolicyVersion(id, isDefault, DocumentText(version, "Document", versionPath, fields)));
            }
            var name = fields.OptionalString(item, "PolicyName", path) ?? ManagedPolicyName.Of(arn);
            policies[arn] = new RecordedPolicy(new ManagedPolicyDetail(name, arn, fields.OptionalString(item, "Path", path) ?? "/", defaultVersion ?? flaggedDefault, versions));
        }
        return policies;
    }

    private static RecordedRole ReadRole(JsonElement item, string path, JsonFields fields)
    {
        var arn = fields.RequiredString(item, "Arn", path);
        var name = fields.RequiredString(item, "RoleName", path);
        // IAM names a role's ARN after the role: where they differ, a lookup by ARN and one by name would find different roles.
        if (!Arn.TryParse(arn, out var parsed) || parsed.Service != "iam" || !parsed.Resource.StartsWith("role/", StringComparison.Ordinal)
            || !string.Equals(parsed.ResourceName, name, StringComparison.Ordinal))
        {
            throw fields.Error($"{path}.Arn", $"{arn} is not the ARN of the role {name} (IAM writes role ARNs as arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME)");
        }
        IReadOnlyList<InlinePolicy>? inline = IsPresent(item, "RolePolicyList")
            ? [.. fields.Objects(item, "RolePolicyList", path).Select(p => new InlinePolicy(fields.RequiredString(p.Item, "PolicyName", p.Path), DocumentText(p.Item, "PolicyDocument", p.Path, fields)))]
            : null;
        IReadOnlyList<AttachedPolicy>? attached = IsPresent(item, "AttachedManagedPolicies")
            ? [.. fields.Objects(item, "AttachedManagedPolicies", path).Select(p =>
            {
                var policyArn = fields.RequiredString(p.Item, "PolicyArn", p.Path);
                return new AttachedPolicy(fields.OptionalString(p.Item, "PolicyName", p.Path) ?? ManagedPolicyName.Of(policyArn), policyArn);
            })]
            : null;
        var boundary = fields.OptionalObject(item, "PermissionsBoundary", path) is { } boundaryElement
            ? fields.OptionalString(boundaryElement, "PermissionsBoundaryArn", $"{path}.PermissionsBoundary")
            : null;
        var tags = fields.Tags(item, "Tags", path, "Key", "Value").Select(t => new IamTag(t.Key, t.Value)).ToList();
        var detail = new RoleDetail(name, arn, fields.OptionalString(item, "Path", path) ?? "/", DocumentText(item, "AssumeRolePolicyDocument", path, fields),
            inline, attached, boundary, tags);
        return new RecordedRole(detail, fields.Source);
    }

    private static bool IsPresent(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    // The AWS CLI prints documents as JSON objects; the API's URL-encoded string form is passed on for the parser to decode.
    private static string? DocumentText(JsonElement parent, string name, string path, JsonFields fields) =>
        !parent.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? fields.Text(value, $"{path}.{name}")
        : value.ValueKind == JsonValueKind.Null ? null
        : value.GetRawText();
}

/// <summary>
/// The answer a recording does not hold (<see cref="RecordedIam.NotRecordedCode"/>), with what to do about it when
/// that is more specific than ERA005's remediation.
/// </summary>
internal sealed class NotRecordedException : AmazonServiceException
{
    public NotRecordedException(string message, string? remedy) : base(message)
    {
        Remedy = remedy;
        ErrorCode = RecordedIam.NotRecordedCode;
        StatusCode = HttpStatusCode.NotFound;
    }

    public string? Remedy { get; }
}
