using System.Text.RegularExpressions;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.TestData.Scenarios;

namespace EcsRoleAuditor.Audit.Tests.Rules;

/// <summary>Every rule's documented examples are its tests: the bad one is flagged, the good one passes.</summary>
public partial class RuleExampleTests
{
    // The theories take the ID, not the rule, so each rule is its own test case under a readable name.
    public static TheoryData<string> RuleIds => [.. RuleCatalog.All.Select(r => r.Descriptor.Id)];

    internal static async Task<TaskDefinitionReport> Audit(string scenarioJson, string name)
    {
        var scenario = Scenario.Parse(scenarioJson, name);
        return await Auditor.WithAllRules().AuditAsync(scenario.TaskDefinition, scenario);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public async Task Bad_example_is_flagged(string id)
    {
        var rule = RuleCatalog.Find(id)!;
        var report = await Audit(rule.Examples.Bad.ScenarioJson, $"{id} bad example");
        var finding = Assert.Single(report.Findings, f => f.Rule == rule.Descriptor);
        Assert.False(string.IsNullOrWhiteSpace(finding.Message));
        Assert.False(string.IsNullOrWhiteSpace(finding.Remediation));
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public async Task Good_example_passes(string id)
    {
        var rule = RuleCatalog.Find(id)!;
        var report = await Audit(rule.Examples.Good.ScenarioJson, $"{id} good example");
        Assert.DoesNotContain(report.Findings, f => f.Rule == rule.Descriptor);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public async Task Good_example_raises_nothing_unsuppressed_at_or_above_medium_from_any_rule(string id)
    {
        var rule = RuleCatalog.Find(id)!;
        var report = await Audit(rule.Examples.Good.ScenarioJson, $"{id} good example");
        Assert.Empty(report.ActiveFindings.Where(f => f.Severity >= Severity.Medium).Select(f => $"{f.RuleId} {f.Severity}: {f.Message}"));
    }

    [GeneratedRegex(@"^ERA\d{3}$")]
    private static partial Regex RuleIdFormat();

    [Fact]
    public void Rules_have_unique_well_formed_ids_in_order_and_complete_documentation()
    {
        var ids = RuleCatalog.All.Select(r => r.Descriptor.Id).ToList();
        Assert.All(ids, id => Assert.Matches(RuleIdFormat(), id));
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.All(RuleCatalog.All, r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Descriptor.Title));
            Assert.True(r.Descriptor.Rationale.Length > 40, $"{r.Descriptor.Id}: rationale too short");
            Assert.True(r.Descriptor.Remediation.Length > 20, $"{r.Descriptor.Id}: remediation too short");
            Assert.NotEmpty(r.Descriptor.Links);
            Assert.All(r.Descriptor.Links, l => Assert.StartsWith("https://", l, StringComparison.Ordinal));
        });
    }

    [Fact]
    public void Docs_rules_md_is_generated_from_the_rules()
    {
        var root = FindRoot();
        var committed = File.Exists(Path.Combine(root, "docs", "rules.md")) ? File.ReadAllText(Path.Combine(root, "docs", "rules.md")) : "";
        Assert.True(
            committed.ReplaceLineEndings() == RuleDocumentation.Markdown(RuleCatalog.All).ReplaceLineEndings(),
            "docs/rules.md is stale: run  dotnet run --project src/EcsRoleAuditor.Cli -- rules --markdown > docs/rules.md");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EcsRoleAuditor.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("EcsRoleAuditor.sln not found");
    }
}
