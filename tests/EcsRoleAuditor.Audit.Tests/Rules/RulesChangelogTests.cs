using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Audit.Tests.Rules;

/// <summary>docs/rules-changelog.md lists every rule ID ever given out and what it means; the code and the file agree.</summary>
public sealed class RulesChangelogTests
{
    private static readonly string ChangelogPath = Path.Combine(RepositoryPaths.Root, "docs", "rules-changelog.md");

    /// <summary>The rows of the changelog: section (Shipped, Unshipped, Retired), ID, severity, title.</summary>
    private static List<(string Section, string Id, string Severity, string Title)> Rows()
    {
        var rows = new List<(string, string, string, string)>();
        var section = "";
        foreach (var line in File.ReadLines(ChangelogPath))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                section = line[3..].Trim();
            }
            else if (line.StartsWith("| ERA", StringComparison.Ordinal))
            {
                var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
                rows.Add((section, cells[0], cells[1], cells[2]));
            }
        }
        return rows;
    }

    [Fact]
    public void Every_rule_is_listed_once_as_shipped_or_unshipped_with_its_meaning()
    {
        var listed = Rows().Where(r => r.Section is "Shipped" or "Unshipped").ToDictionary(r => r.Id, StringComparer.Ordinal);

        Assert.All(RuleCatalog.All.Select(r => r.Descriptor), rule =>
        {
            Assert.True(listed.TryGetValue(rule.Id, out var row), $"{rule.Id} is not in docs/rules-changelog.md: add it under Unshipped");
            Assert.Equal((rule.DefaultSeverity.Name(), rule.Title), (row.Severity, row.Title));
        });
    }

    [Fact]
    public void No_id_is_given_twice_and_a_retired_id_is_no_rule()
    {
        var rows = Rows();
        var ids = rows.Select(r => r.Id).ToList();
        Assert.NotEmpty(ids);
        Assert.Equal(ids.Distinct(StringComparer.Ordinal), ids);
        var rules = RuleCatalog.All.Select(r => r.Descriptor.Id).ToHashSet(StringComparer.Ordinal);
        Assert.All(rows, row => Assert.Equal(row.Section != "Retired", rules.Contains(row.Id)));
    }

    [Fact]
    public void Only_the_rules_that_say_something_could_not_be_read_make_an_audit_incomplete()
    {
        Assert.Equal(
            ["ERA005", "ERA047"],
            RuleCatalog.All.Where(r => r.Descriptor.MarksAuditIncomplete).Select(r => r.Descriptor.Id));
    }
}
