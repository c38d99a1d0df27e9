using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Needs;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Effective;
using EcsRoleAuditor.Policy.Matching;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA022: the execution role can read secrets or parameters the task definition does not reference.</summary>
public sealed class SecretsBeyondReferencesRule : IAuditRule
{
    /// <summary>A store of secrets: its service, the reads that take a value out, and the action of the needs that names what the task definition references.</summary>
    private sealed record Store(string Service, string Name, string Noun, string ResourcePrefix, string NeedAction, string[] ReadActions);

    private static readonly Store[] Stores =
    [
        new("secretsmanager", "Secrets Manager", "secret", "secret:", "secretsmanager:GetSecretValue", ["secretsmanager:GetSecretValue"]),
        new("ssm", "Parameter Store", "parameter", "parameter/", "ssm:GetParameters", ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"]),
    ];

    /// <summary>Every read of a store this rule judges on the execution role (ERA045 leaves them to it there).</summary>
    internal static ActionSet StoreReads(ActionCatalog catalog) => PlacementPolicyText.ToActionSet(catalog, Stores.SelectMany(s => s.ReadActions));

    private const string ProbeName = "unreferenced-probe";

    // A random suffix no real secret is likely to have: a witness secret ARN must be one Secrets Manager could issue.
    private const string ProbeSuffix = "-Zq9Xw8";

    /// <summary>ERA022, the descriptor its findings carry and tests pick them by.</summary>
    public static readonly RuleDescriptor Rule = new(
        "ERA022",
        "Execution role can read secrets or parameters beyond those referenced",
        Severity.Medium,
        "The execution role needs to read exactly the secrets and parameters its task definition references. A grant on every secret, "
        + "a whole path or another application's secrets lets anyone who can register a task definition with this execution role "
        + "(or misuse the agent's credentials) read them into a container's environment. When the containers are unknown (ERA005), only a read of every "
        + "secret or parameter of an account is reported: no containers reference them all, nor those created later.",
        "Scope the secretsmanager:GetSecretValue and ssm:GetParameters statements to the ARNs the task definition references "
        + "(a Secrets Manager ARN may end in -?????? for the random suffix; NAME-* also matches other secrets whose names start with NAME-).",
        ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html",
         "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-ssm-paramstore.html"]);

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

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
        // Which secrets the task definition references is unknown when its containers are (ERA005 says so); but no containers
        // reference every secret or parameter of an account, nor those created later, so a read of them all is still beyond.
        var referencesKnown = context.TaskDefinition.NeedsKnown(RoleSlot.Execution);
        var permissions = role.Permissions;
        var analysis = BreadthAnalysis.Of(role);
        foreach (var grant in BreadthAnalysis.AllowsBelowAdmin(role))
        {
            var actions = new List<string>();
            var beyond = new SortedSet<string>(StringComparer.Ordinal);
            var examples = new SortedSet<string>(StringComparer.Ordinal);
            var scopes = new List<ResourceScope>();
            var fix = new List<(string Action, string Resource)>();
            var unreferenced = new List<string>();
            var reaches = new SortedSet<string>(StringComparer.Ordinal);
            // The reads a service-wide wildcard hands out are ERA042's finding about the statement (secretsmanager:*).
            var wildcard = analysis.ServiceWideReach(grant);
            foreach (var store in Stores)
            {
                var references = context.Needs.Where(n => n.Slot == RoleSlot.Execution && n.Action == store.NeedAction).ToList();
                var granted = new List<string>();
                foreach (var name in store.ReadActions)
                {
                    if (!permissions.Catalog.TryGetAction(name, out var action) || !grant.Actions.Contains(action.Id) || !permissions.IsAllowed(action)
                        || wildcard.Contains(action.Id))
                    {
                        continue;
                    }
                    foreach (var scope in permissions.Describe(action).ScopesThrough(grant))
                    {
                        if ((referencesKnown || ReachesAStoreWhole(context, scope)) && Witness(context, role, store, scope, references) is { } witness)
                        {
                            granted.Add(name);
                            scopes.Add(scope);
                            beyond.UnionWith(scope.Patterns);
                            examples.Add(witness);
                            if (!referencesKnown)
                            {
                                reaches.Add(Reach(store, scope));
                            }
                        }
                    }
                }
                if (granted.Count == 0)
                {
                    continue;
                }
                actions.AddRange(granted.Distinct(StringComparer.Ordinal));
                var fixAction = store.Service == "secretsmanager" ? "secretsmanager:GetSecretValue" : "ssm:GetParameters";
                fix.AddRange(references.Select(r => (fixAction, ExecutionPlane.GrantableResource(r))));
                if (references.Count == 0)
                {
                    unreferenced.Add(store.Name);
                }
            }
            if (beyond.Count == 0)
            {
                continue;
            }
            if (!referencesKnown)
            {
                yield return UnknownReferencesFinding(context, role, grant, actions, beyond, examples, reaches, scopes);
                continue;
            }
            // Said per store: a task definition that reads parameters but no secret references none of the secrets.
            var what = string.Join("; ", new[]
            {
                fix.Count == 0 ? null : $"the task definition references {fix.Count}: {FindingFactory.Summarise([.. fix.Select(f => f.Resource)], 3)}",
                unreferenced.Count == 0 ? null : $"it reads nothing from {string.Join(" or ", unreferenced)}",
            }.OfType<string>());
            var changes = string.Join(" and ", new[]
            {
                fix.Count == 0 ? null : $"replace the grant with {PlacementPolicyText.AllowStatementsJson(fix)}",
                unreferenced.Count == 0 ? null : $"remove the reads from {string.Join(" and ", unreferenced)}",
            }.OfType<string>());
            var remediation = PlacementPolicyText.EditStatement(role, grant, changes).Ended();
            var finding = BreadthAnalysis.StatementFinding(Descriptor, role, role.Slot, grant,
                $"Execution role {role.Role.Name} can read secrets or parameters beyond those of {context.TaskDefinition.DisplayName} "
                + $"({string.Join(", ", actions)} on {FindingFactory.Summarise(beyond, 3)}, e.g. {examples.First()}); {what}",
                remediation,
                actions,
                [.. scopes.Distinct()]);
            yield return finding with { Resources = [.. beyond] };
        }
    }

    /// <summary>
    /// The finding for containers nobody knows: it names what the grant reaches (every secret or parameter of an account), never
    /// which secrets the task definition references, and asks for the statement to name the containers' own.
    /// </summary>
    private Finding UnknownReferencesFinding(AuditContext context, AuditedRole role, Grant grant, List<string> actions,
        SortedSet<string> beyond, SortedSet<string> examples, SortedSet<string> reaches, List<ResourceScope> scopes)
    {
        var named = string.Join(", ", actions.Distinct(StringComparer.Ordinal));
        var remediation = PlacementPolicyText.EditStatement(role, grant,
            $"scope {named} to the ARNs of the secrets and parameters the containers of {context.TaskDefinition.DisplayName} reference "
            + "(a Secrets Manager ARN may end in -?????? for the random suffix), which the audit could not read").Ended();
        var finding = BreadthAnalysis.StatementFinding(Descriptor, role, role.Slot, grant,
            $"Execution role {role.Role.Name} can read {string.Join(" and ", reaches)} ({named} on {FindingFactory.Summarise(beyond, 3)}, e.g. {examples.First()}), "
            + $"beyond whichever secrets and parameters the containers of {context.TaskDefinition.DisplayName} reference: no containers reference them all, nor those created later",
            remediation,
            actions,
            [.. scopes.Distinct()]);
        return finding with { Resources = [.. beyond] };
    }

    // Every secret or parameter of an account (in a region, or all), as ERA045 counts them, with no NotResource carving out some.
    private static bool ReachesAStoreWhole(AuditContext context, ResourceScope scope) =>
        !scope.ExcludedByNotResource.Any() && scope.Patterns.All(p => SensitiveReadOnAnyResourceRule.OnEveryResource(context.Catalog, p));

    // What a scope that reaches a store whole reaches, in words ("every secret of account 111122223333 in eu-west-1"): a
    // resource must match each of its patterns, so a literal account or region in any of them is the one.
    private static string Reach(Store store, ResourceScope scope)
    {
        var arns = new List<Arn>();
        foreach (var pattern in scope.Patterns)
        {
            if (Arn.TryParse(pattern, out var arn))
            {
                arns.Add(arn);
            }
        }
        var account = arns.Select(a => a.Account).FirstOrDefault(a => a.Length > 0 && !Wildcard.HasWildcard(a));
        var region = arns.Select(a => a.Region).FirstOrDefault(r => r.Length > 0 && !Wildcard.HasWildcard(r));
        // Another account's secrets also need that account's resource policy (IAM User Guide, "Cross account resource access in IAM").
        return $"every {store.Noun} of {(account is null ? "its account (and of any account whose resource policy lets it)" : $"account {account}")} in {region ?? "every region"}";
    }

    /// <summary>
    /// A secret or parameter the scope lets the role read that the task definition does not reference, as an ARN the store
    /// could have issued (a secret's ends in a hyphen and six characters: a Resource that stops at the name reaches none);
    /// null when there is none the audit can name.
    /// </summary>
    private static string? Witness(AuditContext context, AuditedRole role, Store store, ResourceScope scope, List<Need> references)
    {
        var referencedNames = references.Select(r => store.Service == "secretsmanager" ? SecretArns.NameOf(r.Resource) : r.Resource).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var candidate in Candidates(context, role, store, scope, references))
        {
            var valid = store.Service == "secretsmanager"
                ? SecretArns.IsValidSecretArn(candidate)
                : Arn.TryParse(candidate, out var parameter) && parameter.Service == "ssm" && parameter.ResourceType == "parameter" && !Wildcard.HasWildcard(candidate);
            if (!valid
                || !scope.Patterns.All(p => ResourceMatcher.IsMatch(p, candidate))
                || scope.Excluded.Any(e => ResourceMatcher.IsMatch(e.Text, candidate)))
            {
                continue;
            }
            var name = store.Service == "secretsmanager" ? SecretArns.NameOf(candidate) : candidate;
            if (name is not null && !referencedNames.Contains(name))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>ARNs to try: each pattern of the scope with its wildcards filled in a few ways, and a name beside each reference.</summary>
    private static IEnumerable<string> Candidates(AuditContext context, AuditedRole role, Store store, ResourceScope scope, List<Need> references)
    {
        var (partition, region, account) = Home(context, role, references);
        var suffix = store.Service == "secretsmanager" ? ProbeSuffix : "";
        var top = Arn.Create(partition, store.Service, region, account, $"{store.ResourcePrefix}{ProbeName}{suffix}").ToString();
        yield return top;
        foreach (var reference in references)
        {
            yield return Sibling(reference.Resource, store, suffix);
        }
        foreach (var pattern in scope.Patterns)
        {
            if (!Arn.TryParse(pattern, out var arn))
            {
                continue;
            }
            var head = Arn.Create(Fill(arn.Partition, partition), store.Service, Fill(arn.Region, region), Fill(arn.Account, account), "");
            foreach (var resource in FillResource(arn.Resource, suffix))
            {
                yield return head.WithResource(resource).ToString();
            }
        }
    }

    // A component with wildcards takes the role's own value; a literal one stays.
    private static string Fill(string component, string own) => Wildcard.HasWildcard(component) ? own : component;

    // Each "*" of the resource part filled with one of a few texts (the empty one, a name, a name with a random suffix), each "?" with a letter.
    private static IEnumerable<string> FillResource(string resource, string suffix)
    {
        // "v2" first: a witness such as prod/db-v2-… reads as the secret a person would worry about.
        string[] fillers = ["v2" + suffix, "", ProbeName, ProbeName + suffix, suffix, "/" + ProbeName + suffix];
        var stars = resource.Count(c => c == '*');
        var combinations = stars <= 3 ? (int)Math.Pow(fillers.Length, stars) : 1;
        for (var combination = 0; combination < combinations; combination++)
        {
            var text = new System.Text.StringBuilder(resource.Length + 32);
            var choice = combination;
            foreach (var c in resource)
            {
                if (c == '*')
                {
                    text.Append(stars <= 3 ? fillers[choice % fillers.Length] : ProbeName + suffix);
                    choice /= fillers.Length;
                }
                else
                {
                    text.Append(c == '?' ? 'Q' : c);
                }
            }
            yield return text.ToString();
        }
    }

    /// <summary>An unreferenced resource next to a referenced one: same path, another name.</summary>
    private static string Sibling(string reference, Store store, string suffix)
    {
        var at = reference.IndexOf(store.ResourcePrefix, StringComparison.Ordinal);
        if (at < 0)
        {
            return reference + ProbeName;
        }
        var name = reference[(at + store.ResourcePrefix.Length)..];
        var slash = name.LastIndexOf('/');
        return $"{reference[..(at + store.ResourcePrefix.Length)]}{(slash < 0 ? "" : name[..(slash + 1)])}{ProbeName}{suffix}";
    }

    // Where the task's secrets live: the first reference's partition, region and account, else the task definition's, else the role's.
    private static (string Partition, string Region, string Account) Home(AuditContext context, AuditedRole role, List<Need> references)
    {
        if (references.Count > 0 && Arn.TryParse(references[0].Resource, out var reference))
        {
            return (reference.Partition, reference.Region, reference.Account);
        }
        if (context.TaskDefinition.ArnScope is { } scope)
        {
            return scope;
        }
        return Arn.TryParse(role.Role.Arn, out var arn) ? (arn.Partition, "us-east-1", arn.Account) : ("aws", "us-east-1", "111122223333");
    }
}
