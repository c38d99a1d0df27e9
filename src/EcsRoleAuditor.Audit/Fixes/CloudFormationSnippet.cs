using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Fixes;

/// <summary>
/// The written roles as CloudFormation YAML, one <c>Resources</c> map for every task definition: a new execution role as
/// <c>AWS::IAM::Role</c> (trust and its one inline policy), an existing role's written inline policies as
/// <c>AWS::IAM::RolePolicy</c>; what a template cannot say of an existing role (detach, delete, a customer managed
/// policy's new version) as comments. Logical IDs are the family and the policy in CloudFormation's alphanumeric
/// alphabet (AWS CloudFormation User Guide, "Resources": "The logical ID must be alphanumeric (A-Za-z0-9)"). Every
/// string is double-quoted, with backslash, quote and control or invisible characters escaped, so no input can end a
/// scalar or reach the terminal.
/// </summary>
public static class CloudFormationSnippet
{
    /// <summary>The YAML of <paramref name="fixes"/>, each with its task definition's display name.</summary>
    /// <param name="fixes">The fixes.</param>
    /// <param name="generatedNames">
    /// The roles a template declares without a name, by their stand-in name: the resource's logical ID, after those of
    /// the stacks that nest its template (<c>Roles.ExecutionRole</c>). Their policies name them by <c>Ref</c>, the one
    /// name that works, and, for a role of a nested template, say that the resource belongs there.
    /// </param>
    public static string Write(IEnumerable<(string TaskDefinition, string Family, RoleFixes Roles)> fixes, IReadOnlyDictionary<string, string>? generatedNames = null)
    {
        ArgumentNullException.ThrowIfNull(fixes);
        generatedNames ??= ImmutableDictionary<string, string>.Empty;
        var text = new StringBuilder("Resources:\n");
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, family, roles) in fixes)
        {
            text.Append("  # ").Append(Comment(name)).Append('\n');
            var prefix = LogicalId(family);
            var execution = roles.Execution;
            var executionRole = Arn.Parse(execution.RoleArn);
            if (execution.NewRole)
            {
                text.Append("  ").Append(Unique(prefix + "ExecutionRole", taken)).Append(":\n");
                text.Append("    Type: AWS::IAM::Role\n    Properties:\n");
                text.Append("      RoleName: ").Append(Quoted(executionRole.ResourceName)).Append('\n');
                text.Append("      Path: ").Append(Quoted("/" + executionRole.ResourceId[..^executionRole.ResourceName.Length])).Append('\n');
                text.Append("      AssumeRolePolicyDocument:\n");
                Document(text, execution.TrustPolicyJson, 8);
                if (execution.PolicyJson is { } policy)
                {
                    text.Append("      Policies:\n        - PolicyName: ").Append(Quoted(ExecutionRoleFix.InlinePolicyName)).Append('\n');
                    text.Append("          PolicyDocument:\n");
                    Document(text, policy, 12);
                }
            }
            else
            {
                text.Append("  # the trust policy of ").Append(Comment(executionRole.ResourceName)).Append(" (AssumeRolePolicyDocument where the role is in a template): ")
                    .Append(Comment(execution.TrustPolicyJson)).Append('\n');
                if (execution.PolicyJson is { } policy)
                {
                    RolePolicy(text, Unique(prefix + "ExecutionPolicy", taken), executionRole.ResourceName, ExecutionRoleFix.InlinePolicyName, policy, generatedNames);
                }
                foreach (var replaced in roles.Replaced)
                {
                    text.Append("  # ").Append(replaced.Kind == SourceKind.InlinePolicy ? "delete the inline policy " : "detach ")
                        .Append(Comment(replaced.Arn ?? replaced.Name)).Append(" from ").Append(Comment(executionRole.ResourceName)).Append('\n');
                }
            }
            if (roles is { Task: { } task, CurrentTaskRole: { } current })
            {
                foreach (var fix in task.Policies)
                {
                    if (fix is { Kind: PolicyFixKind.Rewrite, PolicyJson: { } json } && fix.Policy.Kind == SourceKind.InlinePolicy)
                    {
                        RolePolicy(text, Unique(prefix + "Task" + LogicalId(fix.Policy.Name) + "Policy", taken), current.Name, fix.Policy.Name, json, generatedNames);
                    }
                    else
                    {
                        text.Append("  # ").Append(Comment(fix.Reason)).Append(fix.PolicyJson is { } document ? " " + Comment(document) : "").Append('\n');
                    }
                }
            }
            foreach (var note in execution.Notes.Concat(roles.Task?.Notes ?? []))
            {
                text.Append("  # note: ").Append(Comment(note)).Append('\n');
            }
        }
        // Nothing to declare (the role needs no policy, or only comments say what to do): an empty map, not a null one,
        // which CloudFormation would refuse where a template takes the map as it is.
        return taken.Count == 0 ? text.Insert("Resources:".Length, " {}").ToString() : text.ToString();
    }

    /// <summary>
    /// <paramref name="name"/> as a logical ID: its runs of letters and digits, each capitalized and joined
    /// (<c>billing-worker</c> → <c>BillingWorker</c>); only ASCII letters and digits are kept, and an ID that would be
    /// empty is <c>Role</c>.
    /// </summary>
    public static string LogicalId(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var id = new StringBuilder();
        var start = true;
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                id.Append(start ? char.ToUpperInvariant(c) : c);
                start = false;
            }
            else
            {
                start = true;
            }
        }
        return id.Length == 0 ? "Role" : id.ToString();
    }

    private static void RolePolicy(StringBuilder text, string logicalId, string roleName, string policyName, string policyJson, IReadOnlyDictionary<string, string> generatedNames)
    {
        if (generatedNames.TryGetValue(roleName, out var declaredAt) && declaredAt.LastIndexOf('.') is var dot and > 0)
        {
            text.Append("  # ").Append(Comment(logicalId)).Append(" belongs in the template of the nested stack ").Append(Comment(declaredAt[..dot]))
                .Append(", where Ref ").Append(Comment(declaredAt[(dot + 1)..])).Append(" names the role CloudFormation creates\n");
        }
        text.Append("  ").Append(logicalId).Append(":\n    Type: AWS::IAM::RolePolicy\n    Properties:\n");
        // A role CloudFormation names (no RoleName) has no name to write: Ref of the role resource gives it (AWS
        // CloudFormation User Guide, "AWS::IAM::Role", return values).
        text.Append("      RoleName: ").Append(generatedNames.TryGetValue(roleName, out var resource)
            ? "{\"Ref\": " + Quoted(resource[(resource.LastIndexOf('.') + 1)..]) + "}"
            : Quoted(roleName)).Append('\n');
        text.Append("      PolicyName: ").Append(Quoted(policyName)).Append('\n');
        text.Append("      PolicyDocument:\n");
        Document(text, policyJson, 8);
    }

    // Names are unique in a template or configuration: a second use gets a number (Terraform uses it too).
    internal static string Unique(string id, HashSet<string> taken)
    {
        var unique = id;
        for (var n = 2; !taken.Add(unique); n++)
        {
            unique = id + n;
        }
        return unique;
    }

    private static void Document(StringBuilder text, string json, int indent)
    {
        using var document = JsonDocument.Parse(json);
        Mapping(text, document.RootElement, indent);
    }

    // Block style, every key and string double-quoted; lists of scalars and maps as "- " items.
    private static void Mapping(StringBuilder text, JsonElement element, int indent)
    {
        foreach (var property in element.EnumerateObject())
        {
            text.Append(' ', indent).Append(Quoted(property.Name)).Append(':');
            Value(text, property.Value, indent);
        }
    }

    private static void Value(StringBuilder text, JsonElement value, int indent)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when value.EnumerateObject().Any():
                text.Append('\n');
                Mapping(text, value, indent + 2);
                break;
            case JsonValueKind.Array when value.GetArrayLength() > 0:
                text.Append('\n');
                foreach (var item in value.EnumerateArray())
                {
                    text.Append(' ', indent + 2).Append('-');
                    if (item.ValueKind == JsonValueKind.Object && item.EnumerateObject().Any())
                    {
                        // The item's first key on the dash's line, the others aligned under it.
                        var first = true;
                        foreach (var property in item.EnumerateObject())
                        {
                            text.Append(first ? " " : new string(' ', indent + 4)).Append(Quoted(property.Name)).Append(':');
                            Value(text, property.Value, indent + 4);
                            first = false;
                        }
                    }
                    else
                    {
                        Value(text, item, indent + 2);
                    }
                }
                break;
            case JsonValueKind.Object:
                text.Append(" {}\n");
                break;
            case JsonValueKind.Array:
                text.Append(" []\n");
                break;
            case JsonValueKind.String:
                text.Append(' ').Append(Quoted(value.GetString()!)).Append('\n');
                break;
            default:
                text.Append(' ').Append(value.GetRawText()).Append('\n'); // numbers, true, false, null: the same in YAML
                break;
        }
    }

    /// <summary>A YAML double-quoted scalar: backslash and quote escaped, control and invisible characters as YAML's own escapes (<c>\x1b</c>, <c>\u202e</c>).</summary>
    public static string Quoted(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        // TerminalText's escapes are YAML's; the backslashes and quotes of the value are escaped first so they stay text.
        return "\"" + TerminalText.Escape(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)) + "\"";
    }

    // A comment runs to the end of the line: the text is escaped so that it cannot start a new one.
    private static string Comment(string text) => TerminalText.Escape(text);
}
