using System.Collections.Immutable;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;

namespace EcsRoleAuditor.TestData.Scenarios;

/// <summary>
/// A compact, self-contained audit input: a task definition and the roles it names, with their policies written out.
/// The rules' good and bad examples are written in it (they stay JSON text in src/, their documentation), and tests
/// parse them and their own fixtures with this reader; nothing shipped reads it.
/// <code>
/// {"taskDefinition": { ...as ECS describes it... },
///  "roles": [{"arn": "arn:aws:iam::111122223333:role/app", "path": "/",
///             "trust": {policy}, "inline": {"name": {policy}}, "managed": {"policy-arn": {policy}},
///             "boundary": {"arn": "policy-arn", "document": {policy}}, "tags": {"k": "v"},
///             "unreadable": "why the role could not be read"}]}
/// </code>
/// A role without <c>trust</c> trusts <c>ecs-tasks.amazonaws.com</c> the recommended way (with aws:SourceAccount and
/// aws:SourceArn conditions). A role the task definition names but the scenario omits does not exist.
/// </summary>
public sealed class Scenario : IRoleDirectory
{
    private readonly Dictionary<string, RoleLookup> _roles;

    private Scenario(TaskDefinition taskDefinition, Dictionary<string, RoleLookup> roles)
    {
        TaskDefinition = taskDefinition;
        _roles = roles;
    }

    /// <summary>The task definition.</summary>
    public TaskDefinition TaskDefinition { get; }

    /// <inheritdoc/>
    public ValueTask<RoleLookup> FindAsync(string roleReference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(roleReference);
        // A bare name finds the role of that name; an ARN only the role with exactly that ARN, as in IAM.
        var found = _roles.TryGetValue(roleReference, out var byArn) ? byArn
            : Arn.TryParse(roleReference, out _) ? null
            : _roles.Values.FirstOrDefault(r => r is RoleLookup.Found f && f.Role.Name.Equals(roleReference, StringComparison.OrdinalIgnoreCase));
        return ValueTask.FromResult(found ?? new RoleLookup.NotFound(roleReference, "the role does not exist"));
    }

    /// <summary>Parses a scenario; throws <see cref="InputException"/> naming the path of what is wrong.</summary>
    public static Scenario Parse(string json, string source)
    {
        try
        {
            return ParseDocument(json, source);
        }
        catch (JsonException e)
        {
            throw new InputException($"{source}: not valid JSON at line {e.LineNumber + 1}, column {e.BytePositionInLine + 1}");
        }
    }

    private static Scenario ParseDocument(string json, string source)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var fields = new JsonFields(source);
        var taskDefinition = root.TryGetProperty("taskDefinition", out var td)
            ? Single(TaskDefinitionReader.Read(td, source), fields)
            : throw fields.Error("$", "a scenario needs a \"taskDefinition\"");
        var roles = new Dictionary<string, RoleLookup>(StringComparer.OrdinalIgnoreCase);
        foreach (var (role, path) in fields.Objects(root, "roles", "$"))
        {
            var arn = fields.RequiredString(role, "arn", path);
            roles[arn] = fields.OptionalString(role, "unreadable", path) is { } reason
                ? new RoleLookup.Unreadable(arn, reason)
                : new RoleLookup.Found(ReadRole(role, arn, path, fields));
        }
        return new Scenario(taskDefinition, roles);
    }

    private static TaskDefinition Single(IReadOnlyList<TaskDefinition> definitions, JsonFields fields) =>
        definitions.Count == 1 ? definitions[0] : throw fields.Error("$.taskDefinition", "a scenario holds exactly one task definition");

    private static Role ReadRole(JsonElement role, string arn, string path, JsonFields fields)
    {
        // A scenario's role ARN is normally a real one; the defaults keep a hand-written fixture short.
        var parsed = Arn.TryParse(arn, out var roleArn);
        var name = parsed ? roleArn.ResourceName : arn;
        var (partition, account) = parsed ? (roleArn.Partition, roleArn.Account) : ("aws", "111122223333");
        var problems = new List<ReadProblem>();
        var policies = ImmutableArray.CreateBuilder<RolePolicy>();
        if (fields.OptionalObject(role, "inline", path) is { } inline)
        {
            foreach (var policy in inline.EnumerateObject())
            {
                var source = new FindingSource(SourceKind.InlinePolicy, policy.Name);
                Add(policies, PolicyReading.ParseOrRecord(source, policy.Value, PolicyKind.Identity, fields.Source, $"{path}.inline.{policy.Name}", problems));
            }
        }
        if (fields.OptionalObject(role, "managed", path) is { } managed)
        {
            foreach (var policy in managed.EnumerateObject())
            {
                var source = new FindingSource(SourceKind.ManagedPolicy, ManagedPolicyName.Of(policy.Name), policy.Name, "v1");
                Add(policies, PolicyReading.ParseOrRecord(source, policy.Value, PolicyKind.Identity, fields.Source, $"{path}.managed.{policy.Name}", problems));
            }
        }
        RolePolicy? boundary = null;
        if (fields.OptionalObject(role, "boundary", path) is { } boundaryElement)
        {
            var boundaryArn = fields.RequiredString(boundaryElement, "arn", $"{path}.boundary");
            var source = new FindingSource(SourceKind.PermissionBoundary, ManagedPolicyName.Of(boundaryArn), boundaryArn, "v1");
            boundary = boundaryElement.TryGetProperty("document", out var document)
                ? PolicyReading.ParseOrRecord(source, document, PolicyKind.Identity, fields.Source, $"{path}.boundary.document", problems)
                : throw fields.Error($"{path}.boundary", "a boundary needs a \"document\"");
        }
        var trustSource = new FindingSource(SourceKind.TrustPolicy, name);
        using var recommended = role.TryGetProperty("trust", out _) ? null : JsonDocument.Parse(RecommendedTrust(partition, account));
        var trustPolicy = PolicyReading.ParseOrRecord(trustSource, recommended?.RootElement ?? role.GetProperty("trust"), PolicyKind.Resource, fields.Source, $"{path}.trust", problems);
        var tags = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (fields.OptionalObject(role, "tags", path) is { } tagObject)
        {
            foreach (var tag in tagObject.EnumerateObject())
            {
                tags[tag.Name] = tag.Value.GetString() ?? "";
            }
        }
        return new Role(
            arn,
            name,
            fields.OptionalString(role, "path", path) ?? "/",
            trustPolicy,
            policies.ToImmutable(),
            boundary,
            tags.ToImmutable(),
            [.. problems]);
    }

    private static void Add(ImmutableArray<RolePolicy>.Builder policies, RolePolicy? policy)
    {
        if (policy is not null)
        {
            policies.Add(policy);
        }
    }

    /// <summary>
    /// The trust policy AWS recommends for ECS task roles, with the confused-deputy conditions: aws:SourceArn names the
    /// ECS resources of the role's own partition and account, in any region (the rules' own recommendation, one source).
    /// </summary>
    public static string RecommendedTrust(string partition, string account) => TrustStatements.RecommendedTrust(partition, "*", account);
}
