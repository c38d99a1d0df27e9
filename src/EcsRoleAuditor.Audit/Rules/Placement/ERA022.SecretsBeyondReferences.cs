using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Policy.Effective;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Matching;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA022: the execution role can read secrets or parameters the task definition does not reference.</summary>
public sealed class SecretsBeyondReferencesRule : IAuditRule
{
    // The read actions per store, and the action of the task definition's needs that names the referenced resources.
    private static readonly (string Service, string ResourcePrefix, string NeedAction, string[] ReadActions)[] Stores =
    [
        ("secretsmanager", "secret:", "secretsmanager:GetSecretValue", ["secretsmanager:GetSecretValue"]),
        ("ssm", "parameter/", "ssm:GetParameters", ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"]),
    ];

    private const string ProbeName = "unreferenced-probe";

    /// <inheritdoc/>
    public RuleDescriptor Descriptor { get; } = new(
        "ERA022",
        "Execution role can read secrets or parameters beyond those referenced",
        Severity.Medium,
        "The execution role needs to read exactly the secrets and parameters its task definition references. A grant on every secret, "
        + "a whole path or another application's secrets lets anyone who can register a task definition with this execution role "
        + "(or misuse the agent's credentials) read them into a container's environment.",
        "Scope the secretsmanager:GetSecretValue and ssm:GetParameters statements to the ARNs the task definition references "
        + "(a Secrets Manager ARN may end in -?????? for the random suffix).",
        ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html",
         "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-ssm-paramstore.html"]);

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("The execution role may read every secret of the account, the task definition references one.", """
            {"taskDefinition":{"family":"web","executionRoleArn":"arn:aws:iam::111122223333:role/web-execution",
              "containerDefinitions":[{"name":"web","image":"nginx:1.27","secrets":[{"name":"DB_PASSWORD","valueFrom":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf"}]}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-execution","inline":{"secrets":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:*"}]}}}]}
            """),
        new("The execution role may read exactly the referenced secret.", """
            {"taskDefinition":{"family":"web","executionRoleArn":"arn:aws:iam::111122223333:role/web-execution",
              "containerDefinitions":[{"name":"web","image":"nginx:1.27","secrets":[{"name":"DB_PASSWORD","valueFrom":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf"}]}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-execution","inline":{"secrets":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-??????"}]}}}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.ExecutionRole is not { } role)
        {
            yield break;
        }
        var permissions = role.Permissions;
        var account = role.Role.Arn.Split(':') is { Length: >= 6 } parts ? parts[4] : "111122223333";
        foreach (var grant in BreadthAnalysis.AllowsBelowAdmin(role))
        {
            var actions = new List<string>();
            var beyond = new SortedSet<string>(StringComparer.Ordinal);
            var fix = new List<(string Action, string Resource)>();
            foreach (var store in Stores)
            {
                var granted = store.ReadActions.Where(a => permissions.Describe(a) is { IsAllowed: true } access && grant.Actions.Contains(access.Action.Id)).ToList();
                if (granted.Count == 0)
                {
                    continue;
                }
                var references = context.Needs.Where(n => n.Slot == RoleSlot.Execution && n.Action == store.NeedAction)
                    .Select(n => store.Service == "secretsmanager" ? PlacementPolicyText.SecretRequestArn(n.Resource) : n.Resource)
                    .Distinct(StringComparer.Ordinal).ToList();
                var wide = BeyondPatterns(grant, store, references, account)
                    .Where(w => grant.IsConditional || granted.Exists(a => permissions.Decide(a, w.Witness) == Decision.Allowed))
                    .Select(w => w.Pattern).ToList();
                if (wide.Count == 0)
                {
                    continue;
                }
                actions.AddRange(granted);
                beyond.UnionWith(wide);
                var fixAction = store.Service == "secretsmanager" ? "secretsmanager:GetSecretValue" : "ssm:GetParameters";
                fix.AddRange(references.Select(r => (fixAction, Scoped(r, store.Service))));
            }
            if (beyond.Count == 0)
            {
                continue;
            }
            var what = fix.Count == 0
                ? "the task definition references none"
                : $"the task definition references {fix.Count}: {FindingFactory.Summarise([.. fix.Select(f => f.Resource)], 3)}";
            var remediation = fix.Count == 0
                ? $"Remove {string.Join(", ", actions)} from this statement of {role.Role.Name}: the task definition reads no secret or parameter."
                : $"Replace this statement's {string.Join(", ", actions)} grant in {role.Role.Name} with: {PlacementPolicyText.AllowStatementsJson(fix)}";
            var finding = Descriptor.For(role, grant,
                $"Execution role {role.Role.Name} can read secrets or parameters beyond those of {context.TaskDefinition.DisplayName} "
                + $"({string.Join(", ", actions)} on {FindingFactory.Summarise(beyond, 3)}); {what}.",
                remediation,
                actions);
            yield return finding with
            {
                Resources = [.. beyond],
                Severity = grant.IsConditional ? Descriptor.DefaultSeverity.OneLower() : Descriptor.DefaultSeverity,
            };
        }
    }

    /// <summary>The grant's resource patterns that reach a secret or parameter the task definition does not reference, each with such a resource as witness.</summary>
    private static IEnumerable<(string Pattern, string Witness)> BeyondPatterns(Grant grant, (string Service, string ResourcePrefix, string NeedAction, string[] ReadActions) store, List<string> references, string account)
    {
        var head = references.Count > 0 ? string.Join(':', references[0].Split(':')[..5]) : $"arn:aws:{store.Service}:us-east-1:{account}";
        var suffix = store.Service == "secretsmanager" ? PlacementPolicyText.SampleSecretSuffix : "";
        var topLevel = $"{head}:{store.ResourcePrefix}{ProbeName}{suffix}";
        var probes = references.Select(r => Sibling(r, store.ResourcePrefix, suffix)).Append(topLevel).Distinct(StringComparer.Ordinal).ToList();
        if (grant.Resources is null || grant.UsesNotResource)
        {
            if (PlacementPolicyText.Covers(grant.Resources, topLevel))
            {
                yield return (grant.Resources is null ? "*" : "NotResource " + string.Join(", ", grant.Resources.Patterns), topLevel);
            }
            yield break;
        }
        foreach (var pattern in grant.Resources.Patterns)
        {
            if (pattern != "*" && (pattern.Split(':') is not { Length: >= 3 } segments || !Wildcard.IsMatch(segments[2], store.Service, ignoreCase: false)))
            {
                continue; // a resource of another service
            }
            if (!references.Exists(r => ResourceMatcher.IsMatch(pattern, r)))
            {
                yield return (pattern, pattern.Replace('*', 'x').Replace('?', 'x'));
            }
            else if (probes.Find(p => ResourceMatcher.IsMatch(pattern, p)) is { } probe)
            {
                yield return (pattern, probe);
            }
        }
    }

    /// <summary>An unreferenced resource next to a referenced one: same path, another name.</summary>
    private static string Sibling(string reference, string resourcePrefix, string suffix)
    {
        var at = reference.IndexOf(resourcePrefix, StringComparison.Ordinal);
        if (at < 0)
        {
            return reference + ProbeName;
        }
        var name = reference[(at + resourcePrefix.Length)..];
        var slash = name.LastIndexOf('/');
        return $"{reference[..(at + resourcePrefix.Length)]}{(slash < 0 ? "" : name[..(slash + 1)])}{ProbeName}{suffix}";
    }

    /// <summary>The resource to grant for a reference: a Secrets Manager ARN completed by the task definition's partial ARN gets its suffix as a wildcard.</summary>
    private static string Scoped(string reference, string service) =>
        service == "secretsmanager" && reference.EndsWith(PlacementPolicyText.SampleSecretSuffix, StringComparison.Ordinal) ? reference[..^PlacementPolicyText.SampleSecretSuffix.Length] + "-??????" : reference;
}
