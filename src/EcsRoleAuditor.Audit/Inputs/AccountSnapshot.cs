using System.Collections.Immutable;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;

namespace EcsRoleAuditor.Audit.Inputs;

/// <summary>
/// The roles and managed policies of an account as <c>aws iam get-account-authorization-details --output json</c> prints
/// them (policy documents as JSON objects, or URL-encoded strings as IAM's API returns them). Answers role lookups offline.
/// A document that does not parse, or a managed policy the file does not contain, is recorded on the role as a problem:
/// the audit then says it is incomplete instead of passing. So does a role the file cannot speak for: one in another
/// account than its roles', or any role when the file holds none.
/// </summary>
public sealed class AccountSnapshot : IRoleDirectory
{
    private readonly Dictionary<string, Role> _byArn;
    private readonly Dictionary<string, Role> _byName;
    private readonly ImmutableSortedSet<string> _accounts;

    private AccountSnapshot(Dictionary<string, Role> byArn, string source)
    {
        _byArn = byArn;
        _byName = byArn.Values.ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);
        // get-account-authorization-details describes the caller's account only; its role ARNs say which one.
        _accounts = [.. byArn.Keys.Select(arn => Arn.TryParse(arn, out var parsed) ? parsed.Account : "").Where(a => a.Length > 0)];
        Source = source;
    }

    /// <summary>The file the snapshot was read from.</summary>
    public string Source { get; }

    /// <summary>All roles of the snapshot.</summary>
    public IEnumerable<Role> Roles => _byArn.Values;

    /// <inheritdoc/>
    public ValueTask<RoleLookup> FindAsync(string roleReference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(roleReference);
        RoleLookup result = roleReference.StartsWith("arn:", StringComparison.Ordinal)
            ? _byArn.TryGetValue(roleReference, out var byArn)
                ? new RoleLookup.Found(byArn)
                : Absent(roleReference, $"no role with this ARN in {Source}")
            : _byName.TryGetValue(roleReference, out var byName)
                ? new RoleLookup.Found(byName)
                : Absent(roleReference, $"no role named '{roleReference}' in {Source}");
        return ValueTask.FromResult(result);
    }

    /// <summary>
    /// A role the file does not hold: absent from the account only when the file describes the role's account. A file
    /// without roles describes none (exported without Role in --filter, say), and another account's role was never in it.
    /// </summary>
    private RoleLookup Absent(string reference, string detail)
    {
        if (_accounts.IsEmpty)
        {
            return new RoleLookup.Unreadable(reference, $"{Source} holds no roles, so it cannot tell whether this role exists (export it with --filter Role)");
        }
        if (Arn.TryParse(reference, out var arn) && arn.Service == "iam" && arn.ResourceType == "role" && !_accounts.Contains(arn.Account))
        {
            var held = _accounts.Count == 1 ? $"account {_accounts.Min}" : $"accounts {string.Join(", ", _accounts)}";
            return new RoleLookup.Unreadable(reference,
                $"the role is in account {arn.Account}, {Source} holds {held} (audit account {arn.Account} with its own get-account-authorization-details output)");
        }
        return new RoleLookup.NotFound(reference, detail);
    }

    /// <summary>Reads a snapshot; throws <see cref="InputException"/> when the file is not get-account-authorization-details output.</summary>
    public static AccountSnapshot Read(JsonElement root, string source)
    {
        var fields = new JsonFields(source);
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("RoleDetailList", out _))
        {
            throw fields.Error("$", "expected the output of 'aws iam get-account-authorization-details' (an object with \"RoleDetailList\")");
        }
        var managed = ReadManagedPolicies(root, fields);
        var roles = new Dictionary<string, Role>(StringComparer.OrdinalIgnoreCase);
        var arns = new FirstPlaces(fields, "role", "; each role is listed once, and a second copy would hide one of them");
        var names = new FirstPlaces(fields, "role name", " (IAM role names are unique in an account, ignoring case)");
        foreach (var (item, path) in fields.Objects(root, "RoleDetailList", "$"))
        {
            var role = ReadRole(item, path, fields, managed);
            arns.Add(role.Arn, path);
            names.Add(role.Name, path);
            roles[role.Arn] = role;
        }
        return new AccountSnapshot(roles, source);
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

    private sealed record ManagedPolicy(string Arn, string? VersionId, JsonElement? Document, string Path);

    private static Dictionary<string, ManagedPolicy> ReadManagedPolicies(JsonElement root, JsonFields fields)
    {
        var policies = new Dictionary<string, ManagedPolicy>(StringComparer.Ordinal);
        var arns = new FirstPlaces(fields, "policy", "; each managed policy is listed once, and a second copy would hide one of them");
        foreach (var (item, path) in fields.Objects(root, "Policies", "$"))
        {
            var arn = fields.RequiredString(item, "Arn", path);
            arns.Add(arn, path);
            var defaultVersion = fields.OptionalString(item, "DefaultVersionId", path);
            JsonElement? document = null;
            string? versionId = defaultVersion;
            string documentPath = path;
            // Two copies of a version, or two default versions, would let the later one hide the other (an admin grant).
            var versions = new FirstPlaces(fields, "version", " of this policy; IAM gives each version its own ID");
            var defaults = new FirstPlaces(fields, "default version", "; a policy has one default version");
            foreach (var (version, versionPath) in fields.Objects(item, "PolicyVersionList", path))
            {
                var id = fields.OptionalString(version, "VersionId", versionPath);
                if (id is not null)
                {
                    versions.Add(id, versionPath);
                }
                var isDefault = version.TryGetProperty("IsDefaultVersion", out var flag) && flag.ValueKind == JsonValueKind.True;
                if (isDefault)
                {
                    defaults.Add("of this policy", versionPath);
                }
                if ((defaultVersion is not null && id == defaultVersion) || (defaultVersion is null && isDefault))
                {
                    document = version.TryGetProperty("Document", out var d) ? d : null;
                    versionId = id;
                    documentPath = $"{versionPath}.Document";
                }
            }
            policies[arn] = new ManagedPolicy(arn, versionId, document, documentPath);
        }
        return policies;
    }

    private static Role ReadRole(JsonElement item, string path, JsonFields fields, Dictionary<string, ManagedPolicy> managed)
    {
        var arn = fields.RequiredString(item, "Arn", path);
        var name = fields.RequiredString(item, "RoleName", path);
        var problems = ImmutableArray.CreateBuilder<ReadProblem>();

        RolePolicy? Parse(FindingSource source, JsonElement? document, PolicyKind kind, string documentPath)
        {
            if (document is not { } element || element.ValueKind == JsonValueKind.Null)
            {
                problems.Add(new ReadProblem(ReadProblemKind.Unreadable, source, $"{fields.Source}: {documentPath}: the policy document is missing"));
                return null;
            }
            return PolicyReading.ParseOrRecord(source, element, kind, fields.Source, documentPath, problems);
        }

        var trust = Parse(new FindingSource(SourceKind.TrustPolicy, name), Property(item, "AssumeRolePolicyDocument"), PolicyKind.Resource, $"{path}.AssumeRolePolicyDocument");

        // A role without these lists was not exported whole: reading it as having no policies would be a clean pass on
        // what was never seen.
        foreach (var (list, kind, what) in new[] { ("RolePolicyList", SourceKind.InlinePolicy, "inline policies"), ("AttachedManagedPolicies", SourceKind.ManagedPolicy, "attached managed policies") })
        {
            if (!item.TryGetProperty(list, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                problems.Add(new ReadProblem(ReadProblemKind.Unreadable, new FindingSource(kind, list),
                    $"{fields.Source}: {path}.{list} is missing, so the role's {what} are unknown (export the role with get-account-authorization-details --filter Role)"));
            }
        }

        var policies = ImmutableArray.CreateBuilder<RolePolicy>();
        foreach (var (inline, inlinePath) in fields.Objects(item, "RolePolicyList", path))
        {
            var policyName = fields.RequiredString(inline, "PolicyName", inlinePath);
            if (Parse(new FindingSource(SourceKind.InlinePolicy, policyName), Property(inline, "PolicyDocument"), PolicyKind.Identity, $"{inlinePath}.PolicyDocument") is { } parsed)
            {
                policies.Add(parsed);
            }
        }
        foreach (var (attached, attachedPath) in fields.Objects(item, "AttachedManagedPolicies", path))
        {
            var policyArn = fields.RequiredString(attached, "PolicyArn", attachedPath);
            var policyName = fields.OptionalString(attached, "PolicyName", attachedPath) ?? policyArn;
            if (ManagedDocument(SourceKind.ManagedPolicy, policyName, policyArn, managed, fields, problems, Parse) is { } parsed)
            {
                policies.Add(parsed);
            }
        }

        RolePolicy? boundary = null;
        if (fields.OptionalObject(item, "PermissionsBoundary", path) is { } boundaryElement
            && fields.OptionalString(boundaryElement, "PermissionsBoundaryArn", $"{path}.PermissionsBoundary") is { } boundaryArn)
        {
            boundary = ManagedDocument(SourceKind.PermissionBoundary, ManagedPolicyName.Of(boundaryArn), boundaryArn, managed, fields, problems, Parse);
        }

        return new Role(
            arn,
            name,
            fields.OptionalString(item, "Path", path) ?? "/",
            trust,
            policies.ToImmutable(),
            boundary,
            fields.Tags(item, "Tags", path, "Key", "Value"),
            problems.ToImmutable());
    }

    private static RolePolicy? ManagedDocument(
        SourceKind kind, string name, string arn, Dictionary<string, ManagedPolicy> managed, JsonFields fields,
        ImmutableArray<ReadProblem>.Builder problems, Func<FindingSource, JsonElement?, PolicyKind, string, RolePolicy?> parse)
    {
        if (!managed.TryGetValue(arn, out var policy))
        {
            var source = new FindingSource(kind, name, arn);
            // get-account-authorization-details lists AWS managed policies under the AWSManagedPolicy filter, customer managed ones under LocalManagedPolicy.
            var filter = Arn.TryParse(arn, out var parsed) && parsed.Account == "aws" ? "AWSManagedPolicy" : "LocalManagedPolicy";
            problems.Add(new ReadProblem(ReadProblemKind.Unreadable, source,
                $"{fields.Source}: the {source.KindName} {arn} is attached but its document is not in the file (run get-account-authorization-details without --filter, or include {filter})"));
            return null;
        }
        return parse(new FindingSource(kind, name, arn, policy.VersionId), policy.Document, PolicyKind.Identity, policy.Path);
    }

    private static JsonElement? Property(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? value : null;
}
