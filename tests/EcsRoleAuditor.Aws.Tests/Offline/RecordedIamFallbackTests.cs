using System.Text.Json;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Offline;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.Aws.Tests.Offline;

/// <summary>
/// An export that names AWS managed policies without their documents (<c>--filter Role</c>), read with a fallback
/// that knows them: both role directories build the same complete role, the version marked as the fallback's; the
/// file's own copy wins; customer managed and unknown policies stay unrecorded.
/// </summary>
public sealed class RecordedIamFallbackTests
{
    private const string ExecutionPolicy = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
    private const string RoleArn = "arn:aws:iam::111122223333:role/web-execution";
    private const string Origin = "the test's AWS managed policies of 2026-01-02, test-corpus 1.2.3";

    private sealed class StubFallback(params KnownManagedPolicy[] policies) : IAwsManagedPolicyFallback
    {
        public string Origin => RecordedIamFallbackTests.Origin;

        public KnownManagedPolicy? Find(string policyArn) => policies.FirstOrDefault(p => p.Arn == policyArn);
    }

    private static readonly StubFallback KnowsExecutionPolicy = new(
        new KnownManagedPolicy("AmazonECSTaskExecutionRolePolicy", ExecutionPolicy, "/service-role/", "v1", Document("FromFallback")));

    private static string Document(string sid) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Sid":"{{sid}}","Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"*"}]}""";

    // get-account-authorization-details --filter Role: the role lists its attached policies, the file holds no Policies.
    private static string Export(string[] attached, string policies = "") => $$"""
        {"RoleDetailList":[{"RoleName":"web-execution","Arn":"{{RoleArn}}","Path":"/",
          "AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]},
          "RolePolicyList":[],
          "AttachedManagedPolicies":[{{string.Join(",", attached.Select(a => $$"""{"PolicyName":"{{a[(a.LastIndexOf('/') + 1)..]}}","PolicyArn":"{{a}}"}"""))}}],
          "Tags":[]}]{{policies}}}
        """;

    private static RecordedIam Read(string json, IAwsManagedPolicyFallback? fallback)
    {
        using var document = JsonDocument.Parse(json);
        return RecordedIam.Read(document.RootElement, "iam.json", fallback);
    }

    public static TheoryData<RoleReadStrategy> Strategies => [RoleReadStrategy.PerRole, RoleReadStrategy.Bulk];

    private static async Task<Role> FindAsync(RecordedIam iam, RoleReadStrategy strategy)
    {
        IRoleDirectory directory = strategy == RoleReadStrategy.Bulk
            ? new AuthorizationDetailsDirectory(iam, iam.DirectoryOptions)
            : new IamRoleDirectory(iam, iam.DirectoryOptions);
        var lookup = await directory.FindAsync(RoleArn, CancellationToken.None);
        (directory as IDisposable)?.Dispose();
        return Assert.IsType<RoleLookup.Found>(lookup).Role;
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task Role_only_export_reads_an_attached_AWS_managed_policy_from_the_fallback_marked_as_such(RoleReadStrategy strategy)
    {
        var role = await FindAsync(Read(Export([ExecutionPolicy]), KnowsExecutionPolicy), strategy);

        Assert.Empty(role.Problems);
        var policy = Assert.Single(role.Policies);
        Assert.Equal(ExecutionPolicy, policy.Source.Arn);
        Assert.Equal($"v1, from {Origin}", policy.Source.VersionId);
        Assert.Equal("FromFallback", Assert.Single(policy.Document.Statements).Sid);
        Assert.Contains("(v1, from the test's AWS managed policies of 2026-01-02, test-corpus 1.2.3)", policy.Source.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task Role_only_export_without_a_fallback_stays_incomplete(RoleReadStrategy strategy)
    {
        var role = await FindAsync(Read(Export([ExecutionPolicy]), fallback: null), strategy);

        Assert.Empty(role.Policies);
        Assert.Equal(ExecutionPolicy, Assert.Single(role.Problems).Source.Arn);
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task The_files_own_copy_wins_over_the_fallback(RoleReadStrategy strategy)
    {
        var policies = $$"""
            ,"Policies":[{"PolicyName":"AmazonECSTaskExecutionRolePolicy","Arn":"{{ExecutionPolicy}}","Path":"/service-role/","DefaultVersionId":"v7",
              "PolicyVersionList":[{"VersionId":"v7","IsDefaultVersion":true,"Document":{{Document("FromFile")}}}]}]
            """;

        var role = await FindAsync(Read(Export([ExecutionPolicy], policies), KnowsExecutionPolicy), strategy);

        Assert.Empty(role.Problems);
        var policy = Assert.Single(role.Policies);
        Assert.Equal("v7", policy.Source.VersionId);
        Assert.Equal("FromFile", Assert.Single(policy.Document.Statements).Sid);
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task A_customer_managed_policy_never_falls_back(RoleReadStrategy strategy)
    {
        const string Customer = "arn:aws:iam::111122223333:policy/AmazonECSTaskExecutionRolePolicy";
        // A fallback that would answer it: only RecordedIam's rule keeps customer managed policies out.
        var willing = new StubFallback(new KnownManagedPolicy("AmazonECSTaskExecutionRolePolicy", Customer, "/", "v1", Document("FromFallback")));

        var role = await FindAsync(Read(Export([Customer]), willing), strategy);

        Assert.Empty(role.Policies);
        var problem = Assert.Single(role.Problems);
        Assert.Equal(Customer, problem.Source.Arn);
        Assert.Contains("LocalManagedPolicy", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task A_policy_the_fallback_does_not_know_stays_not_recorded(RoleReadStrategy strategy)
    {
        const string Unknown = "arn:aws:iam::aws:policy/NoSuchPolicyYet";

        var role = await FindAsync(Read(Export([ExecutionPolicy, Unknown]), KnowsExecutionPolicy), strategy);

        Assert.Equal(ExecutionPolicy, Assert.Single(role.Policies).Source.Arn);
        var problem = Assert.Single(role.Problems);
        Assert.Equal(Unknown, problem.Source.Arn);
        Assert.Contains("does not hold the default version", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPolicy_answers_the_marked_version_and_GetPolicyVersion_its_document()
    {
        var iam = Read(Export([ExecutionPolicy]), KnowsExecutionPolicy);

        var info = await iam.GetPolicyAsync(ExecutionPolicy, CancellationToken.None);
        var document = await iam.GetPolicyVersionAsync(ExecutionPolicy, info.DefaultVersionId, CancellationToken.None);

        Assert.Equal(new Api.ManagedPolicyInfo("AmazonECSTaskExecutionRolePolicy", ExecutionPolicy, "/service-role/", $"v1, from {Origin}"), info);
        Assert.Contains("FromFallback", document, StringComparison.Ordinal);
        // The unmarked id is not a version of the file: a caller cannot mistake the fallback's v1 for the account's.
        var error = await Assert.ThrowsAnyAsync<Amazon.Runtime.AmazonServiceException>(() => iam.GetPolicyVersionAsync(ExecutionPolicy, "v1", CancellationToken.None));
        Assert.Equal(RecordedIam.NotRecordedCode, error.ErrorCode);
    }
}
