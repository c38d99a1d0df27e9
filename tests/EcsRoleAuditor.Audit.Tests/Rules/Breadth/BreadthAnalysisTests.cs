using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Policy.Catalog;
using static EcsRoleAuditor.Audit.Tests.Rules.Breadth.BreadthScenario;

namespace EcsRoleAuditor.Audit.Tests.Rules.Breadth;

public class BreadthAnalysisTests
{
    [Theory]
    [InlineData("PowerUserAccess", null)]
    [InlineData("AmazonECS_FullAccess", """{"Effect":"Allow","Action":["ecs:*","iam:PassRole"],"Resource":"*"}""")]
    [InlineData("AdministratorAccess", """{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}""")]
    [InlineData("ReadOnlyAccess", """{"Effect":"Allow","Action":"s3:Get*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}""")]
    public async Task The_rebuilt_allowed_set_is_exactly_what_the_effective_permissions_allow(string managed, string? boundary)
    {
        var policy = EcsRoleAuditor.TestData.ManagedPolicyCorpus.Get(managed);
        var deny = Document("""{"Effect":"Deny","Action":["s3:DeleteBucket","ecs:DeleteCluster"],"Resource":"*"}""");
        var json = Scenario(Role(TaskRoleArn, [("guard", deny)], [(policy.Arn, policy.DocumentJson)], boundary is null ? null : Document(boundary)), null);
        var scenario = EcsRoleAuditor.TestData.Scenarios.Scenario.Parse(json, managed);
        var context = new AuditContext(scenario.TaskDefinition, await scenario.FindAsync(TaskRoleArn, default), null, ActionCatalog.Default);
        var role = context.TaskRole!;
        var analysis = BreadthAnalysis.Of(role);
        Assert.Equal(role.Permissions.AllowedActionCount, analysis.Allowed.Count);
        Assert.All(analysis.Allowed.Actions.Take(2000), a => Assert.True(role.Permissions.IsAllowed(a), a.FullName));
        Assert.Same(analysis, BreadthAnalysis.Of(role));
    }
}
