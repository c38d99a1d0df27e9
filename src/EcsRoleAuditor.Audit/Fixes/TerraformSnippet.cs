using System.Globalization;
using System.Text;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;

namespace EcsRoleAuditor.Audit.Fixes;

/// <summary>
/// The written roles as Terraform (HCL) for the AWS provider: each document a <c>data "aws_iam_policy_document"</c>, a new
/// execution role an <c>aws_iam_role</c>, each written inline policy an <c>aws_iam_role_policy</c>; what a configuration
/// cannot do to a role it does not manage as comments. Names are Terraform identifiers (letters, digits, underscores and
/// hyphens, not starting with a digit); strings are HCL-escaped, template sequences included (<c>${</c> → <c>$${</c>,
/// <c>%{</c> → <c>%%{</c>), so an IAM policy variable stays the text IAM reads.
/// </summary>
public static partial class TerraformSnippet
{
    /// <summary>The HCL of <paramref name="fixes"/>, each with its task definition's display name and family.</summary>
    /// <param name="fixes">The fixes.</param>
    /// <param name="generatedNames">
    /// The roles a configuration declares without a name (Terraform makes it at apply), by their stand-in name: the
    /// resource's address (<c>module.app.aws_iam_role.task[1]</c>). Their policies name them by reference, the one name that
    /// works, and, for a role in a module, say that the resource belongs there.
    /// </param>
    public static string Write(IEnumerable<(string TaskDefinition, string Family, RoleFixes Roles)> fixes, IReadOnlyDictionary<string, string>? generatedNames = null)
    {
        ArgumentNullException.ThrowIfNull(fixes);
        generatedNames ??= System.Collections.Immutable.ImmutableDictionary<string, string>.Empty;
        var text = new StringBuilder();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, family, roles) in fixes)
        {
            text.Append("# ").Append(TerminalText.Escape(name)).Append("\n\n");
            var execution = roles.Execution;
            var executionRole = Arn.Parse(execution.RoleArn);
            var id = CloudFormationSnippet.Unique(Identifier(family + "_execution"), taken);
            string roleReference;
            if (execution.NewRole)
            {
                var trust = id + "_trust";
                Document(text, trust, PolicyParser.Parse(execution.TrustPolicyJson, "trust policy", PolicyKind.Resource));
                text.Append("resource \"aws_iam_role\" \"").Append(id).Append("\" {\n");
                text.Append("  name               = ").Append(Quoted(executionRole.ResourceName)).Append('\n');
                text.Append("  path               = ").Append(Quoted("/" + executionRole.ResourceId[..^executionRole.ResourceName.Length])).Append('\n');
                text.Append("  assume_role_policy = data.aws_iam_policy_document.").Append(trust).Append(".json\n}\n\n");
                roleReference = $"aws_iam_role.{id}.id";
            }
            else
            {
                text.Append("# the trust policy of ").Append(TerminalText.Escape(executionRole.ResourceName)).Append(" (assume_role_policy where the role is managed): ")
                    .Append(TerminalText.Escape(execution.TrustPolicyJson)).Append('\n');
                foreach (var replaced in roles.Replaced)
                {
                    text.Append("# ").Append(replaced.Kind == SourceKind.InlinePolicy ? "delete the inline policy " : "detach ")
                        .Append(TerminalText.Escape(replaced.Arn ?? replaced.Name)).Append(" from ").Append(TerminalText.Escape(executionRole.ResourceName)).Append('\n');
                }
                text.Append('\n');
                roleReference = RoleReference(text, executionRole.ResourceName, generatedNames);
            }
            if (execution.PolicyJson is { } policy)
            {
                RolePolicy(text, id, roleReference, ExecutionRoleFix.InlinePolicyName, policy);
            }
            if (roles is { Task: { } task, CurrentTaskRole: { } current })
            {
                foreach (var fix in task.Policies)
                {
                    if (fix is { Kind: PolicyFixKind.Rewrite, PolicyJson: { } json } && fix.Policy.Kind == SourceKind.InlinePolicy)
                    {
                        RolePolicy(text, CloudFormationSnippet.Unique(Identifier($"{family}_task_{fix.Policy.Name}"), taken), RoleReference(text, current.Name, generatedNames), fix.Policy.Name, json);
                    }
                    else
                    {
                        text.Append("# ").Append(TerminalText.Escape(fix.Reason)).Append(fix.PolicyJson is { } document ? " " + TerminalText.Escape(document) : "").Append('\n');
                    }
                }
            }
            foreach (var note in execution.Notes.Concat(roles.Task?.Notes ?? []))
            {
                text.Append("# note: ").Append(TerminalText.Escape(note)).Append('\n');
            }
            text.Append('\n');
        }
        return text.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>
    /// <paramref name="name"/> as a Terraform identifier: lower case, each run of other characters than ASCII letters and
    /// digits one underscore, and an underscore first when it would start with a digit or be empty.
    /// </summary>
    public static string Identifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var id = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                id.Append(char.ToLowerInvariant(c));
            }
            else if (id.Length == 0 || id[^1] != '_')
            {
                id.Append('_');
            }
        }
        return id.Length == 0 || char.IsAsciiDigit(id[0]) ? "_" + id : id.ToString();
    }

    /// <summary>
    /// An HCL quoted string: backslash, quote and line breaks escaped, template sequences doubled (<c>$${</c>,
    /// <c>%%{</c>), and control and invisible formatting characters as <c>\uNNNN</c> (<c>\UNNNNNNNN</c> beyond the
    /// Basic Multilingual Plane), HCL's own escapes.
    /// </summary>
    public static string Quoted(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder("\"");
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var next = i + 1 < value.Length ? value[i + 1] : '\0';
            if (char.IsHighSurrogate(c) && char.IsLowSurrogate(next))
            {
                var code = char.ConvertToUtf32(c, next);
                if (Hidden(CharUnicodeInfo.GetUnicodeCategory(code)))
                {
                    text.Append(CultureInfo.InvariantCulture, $"\\U{code:X8}");
                }
                else
                {
                    text.Append(c).Append(next);
                }
                i++;
                continue;
            }
            _ = c switch
            {
                '\\' => text.Append("\\\\"),
                '"' => text.Append("\\\""),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                '$' or '%' when next == '{' => text.Append(c).Append(c),
                _ when char.IsSurrogate(c) || Hidden(CharUnicodeInfo.GetUnicodeCategory(c)) => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => text.Append(c),
            };
        }
        return text.Append('"').ToString();
    }

    // What TerminalText escapes too: control characters, invisible formatting characters and line separators.
    private static bool Hidden(UnicodeCategory category) =>
        category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    // A role Terraform names at apply has no name to write: its resource's name attribute is the reference, which resolves
    // only in the module that declares the role (Terraform Language, "References to Named Values").
    private static string RoleReference(StringBuilder text, string roleName, IReadOnlyDictionary<string, string> generatedNames)
    {
        if (!generatedNames.TryGetValue(roleName, out var address) || address.LastIndexOf("aws_iam_role.", StringComparison.Ordinal) is not (>= 0 and var local)
            || !RoleAddress().IsMatch(address[local..]))
        {
            return Quoted(roleName); // a for_each key with other characters is no reference this writer vouches for
        }
        if (local > 0)
        {
            text.Append("# the next aws_iam_role_policy belongs in ").Append(TerminalText.Escape(address[..(local - 1)]))
                .Append(", where ").Append(TerminalText.Escape(address[local..])).Append(".name names the role Terraform creates\n");
        }
        return address[local..] + ".name";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^aws_iam_role\.[A-Za-z_][A-Za-z0-9_-]*(\[([0-9]+|""[A-Za-z0-9_./-]*"")\])?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex RoleAddress();

    private static void RolePolicy(StringBuilder text, string id, string roleReference, string policyName, string policyJson)
    {
        Document(text, id, PolicyParser.Parse(policyJson, policyName, PolicyKind.Identity));
        text.Append("resource \"aws_iam_role_policy\" \"").Append(id).Append("\" {\n");
        text.Append("  name   = ").Append(Quoted(policyName)).Append('\n');
        text.Append("  role   = ").Append(roleReference).Append('\n');
        text.Append("  policy = data.aws_iam_policy_document.").Append(id).Append(".json\n}\n\n");
    }

    private static void Document(StringBuilder text, string id, PolicyDocument document)
    {
        text.Append("data \"aws_iam_policy_document\" \"").Append(id).Append("\" {\n");
        if (document.Version is { } version)
        {
            text.Append("  version = ").Append(Quoted(version)).Append('\n');
        }
        foreach (var statement in document.Statements)
        {
            text.Append("  statement {\n");
            if (!string.IsNullOrEmpty(statement.Sid))
            {
                Attribute(text, "sid", Quoted(statement.Sid));
            }
            Attribute(text, "effect", Quoted(statement.Effect.ToString()));
            if (statement.Actions is { } actions)
            {
                Attribute(text, actions.IsNegated ? "not_actions" : "actions", List(actions.Patterns));
            }
            if (statement.Resources is { } resources)
            {
                Attribute(text, resources.IsNegated ? "not_resources" : "resources", List(resources.Patterns));
            }
            foreach (var group in statement.Principals?.Entries.GroupBy(e => e.Type) ?? [])
            {
                text.Append("    ").Append(statement.Principals!.IsNegated ? "not_principals" : "principals").Append(" {\n");
                text.Append("      type        = ").Append(Quoted(group.Key switch
                {
                    PrincipalType.Aws => "AWS",
                    PrincipalType.Anyone => "*",
                    _ => group.Key.ToString(),
                })).Append('\n');
                text.Append("      identifiers = ").Append(List([.. group.Select(e => e.Value)])).Append("\n    }\n");
            }
            foreach (var clause in statement.Conditions)
            {
                text.Append("    condition {\n");
                text.Append("      test     = ").Append(Quoted(clause.OperatorText)).Append('\n');
                text.Append("      variable = ").Append(Quoted(clause.Key)).Append('\n');
                text.Append("      values   = ").Append(List(clause.Values)).Append("\n    }\n");
            }
            text.Append("  }\n");
        }
        text.Append("}\n\n");
    }

    private static void Attribute(StringBuilder text, string name, string value) =>
        text.Append("    ").Append(name).Append(' ', Math.Max(1, 13 - name.Length)).Append("= ").Append(value).Append('\n');

    private static string List(IReadOnlyList<string> values) => "[" + string.Join(", ", values.Select(Quoted)) + "]";
}
