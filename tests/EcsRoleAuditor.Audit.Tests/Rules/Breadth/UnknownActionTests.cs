using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Policy.Catalog;
using static EcsRoleAuditor.Audit.Tests.Rules.Breadth.BreadthScenario;

namespace EcsRoleAuditor.Audit.Tests.Rules.Breadth;

public class UnknownActionTests
{
    [Theory]
    [InlineData("s3:GetObjects", "s3:GetObject")]
    [InlineData("secretmanager:GetSecretValue", "secretsmanager:GetSecretValue")]
    [InlineData("ecr:BatchGetImages", "ecr:BatchGetImage")]
    [InlineData("sqs:SendMesage", "sqs:SendMessage")]
    public void The_closest_known_action_is_suggested(string typo, string expected) =>
        Assert.Equal(expected, UnknownActionRule.Suggest(ActionCatalog.Default, typo));

    [Theory]
    [InlineData("s3:CompletelyDifferentThing")]
    [InlineData("nosuchservice:DoIt")]
    [InlineData("s3:Get*Objects")]
    public void Nothing_is_suggested_when_nothing_is_close(string unknown) =>
        Assert.Null(UnknownActionRule.Suggest(ActionCatalog.Default, unknown));

    [Fact]
    public async Task One_finding_per_statement_lists_every_unknown_action_with_its_suggestion()
    {
        var role = Role(TaskRoleArn, [("app", Document("""{"Sid":"Typos","Effect":"Allow","Action":["s3:GetObjects","sqs:SendMesage","sqs:ReceiveMessage"],"Resource":"*"}"""))]);
        var finding = Assert.Single(await Audited(Scenario(role, null), UnknownActionRule.Rule));
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Equal(["s3:GetObjects", "sqs:SendMesage"], finding.Actions.ToArray());
        Assert.Contains("s3:GetObjects (did you mean s3:GetObject?)", finding.Message, StringComparison.Ordinal);
        Assert.Contains("grants nothing", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_typo_in_a_deny_is_reported_as_denying_nothing()
    {
        var role = Role(TaskRoleArn, [("app", Document("""{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}""", """{"Sid":"Guard","Effect":"Deny","Action":"s3:DeleteObjects","Resource":"*"}"""))]);
        var finding = Assert.Single(await Audited(Scenario(role, null), UnknownActionRule.Rule));
        Assert.Equal("Guard", finding.Statement);
        Assert.Contains("denies nothing", finding.Message, StringComparison.Ordinal);
    }
}
