using System.Text.Json;

namespace EcsRoleAuditor.Cli.Tests;

public class ExpandCommandTests
{
    [Fact]
    public void Table_lists_actions_with_access_level_and_resource_types()
    {
        var run = CliRun.Of("expand", "ecr:GetAuthorizationToken", "iam:PassRole");

        Assert.Equal(0, run.ExitCode);
        var token = Assert.Single(run.StdoutLines, l => l.StartsWith("ecr:GetAuthorizationToken ", StringComparison.Ordinal));
        Assert.Contains("Read", token, StringComparison.Ordinal);
        Assert.Contains("wildcard only", token, StringComparison.Ordinal);
        var passRole = Assert.Single(run.StdoutLines, l => l.StartsWith("iam:PassRole ", StringComparison.Ordinal));
        Assert.Contains("Write", passRole, StringComparison.Ordinal);
        Assert.Contains("role*", passRole, StringComparison.Ordinal); // '*' marks a required resource type, as AWS's reference does
        Assert.Equal("2 actions", run.StdoutLines[^1]);
    }

    [Fact]
    public void One_action_is_counted_in_the_singular()
    {
        var run = CliRun.Of("expand", "iam:PassRole");

        Assert.Equal("1 action", run.StdoutLines[^1]);
    }

    [Fact]
    public void Json_lists_the_same_actions_and_the_unmatched_patterns()
    {
        var run = CliRun.Of("expand", "--json", "iam:*Role*", "s3:GetObjekt");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        var actions = json.RootElement.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Contains("iam:PassRole", actions);
        Assert.Contains("iam:ListRoles", actions);
        Assert.DoesNotContain("iam:GetUser", actions);
        Assert.Equal(["s3:GetObjekt"], json.RootElement.GetProperty("unmatched").EnumerateArray().Select(u => u.GetString()));
        var passRole = json.RootElement.GetProperty("actions").EnumerateArray().Single(a => a.GetProperty("action").GetString() == "iam:PassRole");
        Assert.Equal("Write", passRole.GetProperty("accessLevel").GetString());
    }

    [Fact]
    public void Expand_without_a_pattern_is_bad_usage()
    {
        var run = CliRun.Of("expand");
        Assert.Equal(2, run.ExitCode);
    }
}
