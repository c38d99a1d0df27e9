using System.Text.Json;
using System.Text.Json.Nodes;
using EcsRoleAuditor.ManagedPolicies;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>
/// <c>audit --iam</c> with an export that names AWS managed policies without their documents (<c>--filter Role</c>):
/// the embedded corpus fills them in, and the findings say so; the file's own copy wins; what neither holds stays ERA005.
/// </summary>
public sealed class EmbeddedManagedPoliciesAuditTests : IDisposable
{
    private const string ExecutionPolicy = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

    private readonly ScratchFolder _dir = new("era-managed-");

    public void Dispose() => _dir.Dispose();

    // The demo account exported with --filter Role, orders-api's task role also given the execution policy (a misplacement ERA030 reports on it).
    private static JsonObject RoleOnlyExport(string taskRolePolicyArn = ExecutionPolicy)
    {
        var account = JsonNode.Parse(File.ReadAllText(DemoFiles.Account))!.AsObject();
        Assert.True(account.Remove("Policies"));
        var taskRole = account["RoleDetailList"]!.AsArray().Single(r => (string?)r!["RoleName"] == "orders-api-task")!;
        taskRole["AttachedManagedPolicies"] = new JsonArray(new JsonObject { ["PolicyName"] = "AmazonECSTaskExecutionRolePolicy", ["PolicyArn"] = taskRolePolicyArn });
        return account;
    }

    private CliRun Audit(JsonObject export, string format = "json") =>
        CliRun.Of("audit", "--iam", _dir.Write("iam.json", export.ToJsonString()), "--task-definitions", DemoFiles.TaskDefinitions, "--format", format);

    private static List<JsonElement> Findings(CliRun run, string family) =>
        [.. JsonDocument.Parse(run.Stdout).RootElement.GetProperty("reports").EnumerateArray()
            .Single(r => r.GetProperty("family").GetString() == family).GetProperty("findings").EnumerateArray()];

    private static List<JsonElement> AllFindings(CliRun run) =>
        [.. JsonDocument.Parse(run.Stdout).RootElement.GetProperty("reports").EnumerateArray().SelectMany(r => r.GetProperty("findings").EnumerateArray())];

    [Fact]
    public void Role_only_export_audits_complete_and_the_findings_name_the_embedded_corpus()
    {
        var run = Audit(RoleOnlyExport());

        Assert.Equal(1, run.ExitCode); // findings, not 3: nothing is missing
        Assert.DoesNotContain(AllFindings(run), f => f.GetProperty("ruleId").GetString() is "ERA005" or "ERA047");
        var misplaced = Findings(run, "orders-api").Single(f => f.GetProperty("ruleId").GetString() == "ERA030");
        var source = misplaced.GetProperty("source");
        Assert.Equal(ExecutionPolicy, source.GetProperty("arn").GetString());
        var corpus = AwsManagedPolicies.Embedded;
        Assert.Equal($"{corpus.Find(ExecutionPolicy)!.VersionId}, from {corpus.Identity.Description}", source.GetProperty("versionId").GetString());

        var table = Audit(RoleOnlyExport(), "table");
        // The table wraps long lines at spaces.
        var words = string.Join(' ', table.Stdout.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"managed policy {ExecutionPolicy} ({corpus.Find(ExecutionPolicy)!.VersionId}, from {corpus.Identity.Description})", words, StringComparison.Ordinal);
    }

    [Fact]
    public void An_export_holding_the_policy_is_audited_with_its_own_version()
    {
        var export = RoleOnlyExport();
        // The account's copy differs from the corpus's: one action, another version id.
        export["Policies"] = JsonNode.Parse($$$"""
            [{"PolicyName":"AmazonECSTaskExecutionRolePolicy","Arn":"{{{ExecutionPolicy}}}","Path":"/service-role/","DefaultVersionId":"v42",
              "PolicyVersionList":[{"VersionId":"v42","IsDefaultVersion":true,
                "Document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:BatchGetImage","logs:CreateLogStream","logs:PutLogEvents","ecr:GetAuthorizationToken","ecr:GetDownloadUrlForLayer","ecr:BatchCheckLayerAvailability"],"Resource":"*"},
                                                                 {"Effect":"Allow","Action":"ecr:DescribeImages","Resource":"*"}]}}]}]
            """);

        var run = Audit(export);

        Assert.Equal(1, run.ExitCode);
        var sources = Findings(run, "orders-api").Select(f => f.GetProperty("source")).Where(s => s.GetProperty("arn").GetString() == ExecutionPolicy).ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.Equal("v42", s.GetProperty("versionId").GetString()));
        Assert.Contains(Findings(run, "orders-api"), f => f.GetProperty("actions").EnumerateArray().Any(a => a.GetString() == "ecr:DescribeImages"));
        Assert.DoesNotContain("from the embedded", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws-cn:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")] // the corpus answers the aws partition only
    [InlineData("arn:aws:iam::aws:policy/NoSuchPolicyYet")] // newer than the corpus, or mistyped
    public void A_policy_neither_the_export_nor_the_corpus_holds_leaves_the_audit_incomplete(string arn)
    {
        var run = Audit(RoleOnlyExport(arn));

        Assert.Equal(3, run.ExitCode);
        var incomplete = Findings(run, "orders-api").Single(f => f.GetProperty("ruleId").GetString() == "ERA005");
        Assert.Contains(arn, incomplete.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_reads_only_its_own_export()
    {
        var demo = CliRun.Of("demo", "--format", "json");

        Assert.Contains("\"versionId\"", demo.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("from the embedded", demo.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_names_the_embedded_AWS_managed_policies()
    {
        var run = CliRun.Of("catalog");
        var identity = AwsManagedPolicies.Embedded.Identity;

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"AWS managed policies: {identity.PackageName}@{identity.PackageVersion}, data date {identity.DataDate:yyyy-MM-dd}, {AwsManagedPolicies.Embedded.Count} policies (aws partition only)",
            run.StdoutLines);
    }
}
