using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Offline;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Policy.Catalog;

namespace EcsRoleAuditor.Aws.Tests.Offline;

/// <summary>
/// Declarations (infrastructure code) leave a document out on purpose when only deployment knows it: both role
/// directories say why, where, and what to do (give the value or audit the deployed resources), instead of "the
/// policy document is missing" with a remedy about read access and exports.
/// </summary>
public sealed class RecordedIamUnauditedTests
{
    private const string RoleArn = "arn:aws:iam::111122223333:role/web-execution";
    private const string PolicyArn = "arn:aws:iam::111122223333:policy/shared";
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    private const string Why = "t.yaml:30 (Role.Policies.app): Statement[0] names a resource known only at deployment (${unresolved.Arn})";

    public static TheoryData<RoleReadStrategy> Strategies => [RoleReadStrategy.PerRole, RoleReadStrategy.Bulk];

    private static RecordedIam Declared(bool trustUnknown = false) => RecordedIam.Create("t.yaml",
        [new RoleDetail("web-execution", RoleArn, "/", trustUnknown ? null : Trust,
            [new InlinePolicy("app", null) { Unaudited = Why }, new InlinePolicy("gone", null)],
            [new AttachedPolicy("shared", PolicyArn)], null, []) { TrustUnaudited = trustUnknown ? "t.yaml:5 (Role.AssumeRolePolicyDocument): unknown" : null }],
        [new ManagedPolicyDetail("shared", PolicyArn, "/", "v1", [new ManagedPolicyVersion("v1", true, null) { Unaudited = "t.yaml:40 (Shared.PolicyDocument): unknown" }])]);

    private static async Task<Role> FindAsync(RecordedIam iam, RoleReadStrategy strategy, string reference = RoleArn)
    {
        IRoleDirectory directory = strategy == RoleReadStrategy.Bulk
            ? new AuthorizationDetailsDirectory(iam, iam.DirectoryOptions)
            : new IamRoleDirectory(iam, iam.DirectoryOptions);
        var lookup = await directory.FindAsync(reference, CancellationToken.None);
        (directory as IDisposable)?.Dispose();
        return Assert.IsType<RoleLookup.Found>(lookup).Role;
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task A_document_left_to_deployment_says_why_and_gives_the_deploy_time_remedy(RoleReadStrategy strategy)
    {
        var role = await FindAsync(Declared(), strategy);

        var app = Assert.Single(role.Problems, p => p.Source.Name == "app");
        Assert.Equal(ReadProblemKind.Unreadable, app.Kind);
        Assert.Equal(Why, app.Detail);
        Assert.Equal(IncompleteAuditRule.DeployTimeRemediation, app.Remedy);
        var shared = Assert.Single(role.Problems, p => p.Source.Arn == PolicyArn);
        Assert.Contains("t.yaml:40 (Shared.PolicyDocument): unknown", shared.Detail, StringComparison.Ordinal);
        Assert.Equal(IncompleteAuditRule.DeployTimeRemediation, shared.Remedy);
        // A document merely absent keeps the general words and remedy.
        var gone = Assert.Single(role.Problems, p => p.Source.Name == "gone");
        Assert.EndsWith("the policy document is missing", gone.Detail, StringComparison.Ordinal);
        Assert.Null(gone.Remedy);
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task A_trust_policy_left_to_deployment_says_why(RoleReadStrategy strategy)
    {
        var role = await FindAsync(Declared(trustUnknown: true), strategy);

        var trust = Assert.Single(role.Problems, p => p.Source.Kind == SourceKind.TrustPolicy);
        Assert.Equal("t.yaml:5 (Role.AssumeRolePolicyDocument): unknown", trust.Detail);
        Assert.Equal(IncompleteAuditRule.DeployTimeRemediation, trust.Remedy);
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task A_role_the_declarations_do_not_hold_asks_for_an_export(RoleReadStrategy strategy)
    {
        IRoleDirectory directory = strategy == RoleReadStrategy.Bulk
            ? new AuthorizationDetailsDirectory(Declared(), Declared().DirectoryOptions)
            : new IamRoleDirectory(Declared(), Declared().DirectoryOptions);
        var other = Assert.IsType<RoleLookup.Unreadable>(await directory.FindAsync("arn:aws:iam::111122223333:role/elsewhere", CancellationToken.None));
        var named = Assert.IsType<RoleLookup.Unreadable>(await directory.FindAsync("${unresolved.ImportValue-role}", CancellationToken.None));
        (directory as IDisposable)?.Dispose();

        Assert.Equal(IncompleteAuditRule.UndeclaredRoleRemediation, other.Remedy);
        Assert.Equal(IncompleteAuditRule.DeployTimeRemediation, named.Remedy);
    }

    [Fact]
    public void ERA005_carries_the_problems_remedy_and_falls_back_to_its_own()
    {
        var task = new TaskDefinition(null, "web", 1, null, RoleArn, [], [], System.Collections.Immutable.ImmutableDictionary<string, string>.Empty);
        var role = new Role(RoleArn, "web-execution", "/", null, [], null, System.Collections.Immutable.ImmutableDictionary<string, string>.Empty,
            [new ReadProblem(ReadProblemKind.Unreadable, new FindingSource(SourceKind.InlinePolicy, "app"), Why) { Remedy = IncompleteAuditRule.DeployTimeRemediation },
             new ReadProblem(ReadProblemKind.Unreadable, new FindingSource(SourceKind.InlinePolicy, "denied"), "access denied")]);
        var findings = new IncompleteAuditRule().Evaluate(new AuditContext(task, null, new RoleLookup.Found(role), ActionCatalog.Default)).ToList();

        Assert.Equal(IncompleteAuditRule.DeployTimeRemediation, Assert.Single(findings, f => f.Source.Name == "app").Remediation);
        Assert.Equal(IncompleteAuditRule.Rule.Remediation, Assert.Single(findings, f => f.Source.Name == "denied").Remediation);
    }
}
