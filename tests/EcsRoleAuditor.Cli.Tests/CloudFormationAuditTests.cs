using System.Text.Json;
using System.Text.Json.Nodes;
using EcsRoleAuditor.FakeAws;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>
/// <c>audit --cloudformation</c> end to end: the template's findings equal the live audit's of the account it
/// deploys (the fake AWS loaded with that account as the AWS CLI prints it), SARIF carries lines, usage is checked.
/// </summary>
public sealed class CloudFormationAuditTests : IAsyncLifetime
{
    private static readonly string Templates = Path.Combine(RepositoryPaths.Root, "tests", "EcsRoleAuditor.InfrastructureCode.Tests", "Templates");
    private static readonly string SwappedRoles = Path.Combine(Templates, "swapped-roles.yaml");
    private FakeAwsServer _aws = null!;

    public async Task InitializeAsync() => _aws = await FakeAwsServer.StartAsync(FakeAccount.Load(
        Path.Combine(Templates, "deployed", "swapped-roles.iam.json"), Path.Combine(Templates, "deployed", "swapped-roles.task-definition.json")));

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    private static IEnumerable<string> Findings(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("reports").EnumerateArray()
            .SelectMany(r => r.GetProperty("findings").EnumerateArray())
            .Select(f => $"{f.GetProperty("ruleId").GetString()} {f.GetProperty("severity").GetString()} {f.GetProperty("roleSlot").GetString()} "
                + $"{f.GetProperty("source").GetProperty("kind").GetString()} {f.GetProperty("source").GetProperty("name").GetString()} {f.GetProperty("statement")}")
            .Order(StringComparer.Ordinal);

    [Fact]
    public async Task A_template_has_the_findings_of_the_live_account_it_deploys()
    {
        var template = CliRun.Of("audit", "--cloudformation", SwappedRoles, "--account", "111122223333", "--region", "eu-west-1", "--format", "json");
        var live = await CliProcess.RunAsync(_aws.ClientEnvironment(), ["audit", "--live", "--task-definition", "billing-worker:1", "--format", "json"]);

        Assert.Equal(1, template.ExitCode);
        Assert.Equal(1, live.ExitCode);
        Assert.NotEmpty(Findings(template.Stdout));
        Assert.Equal(Findings(live.Stdout), Findings(template.Stdout));
    }

    [Fact]
    public void Sarif_output_annotates_the_statement_line()
    {
        var run = CliRun.Of("audit", "--cloudformation", SwappedRoles, "--account", "111122223333", "--region", "eu-west-1", "--format", "sarif");

        using var sarif = JsonDocument.Parse(run.Stdout);
        var regions = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Select(r => r.GetProperty("locations")[0].GetProperty("physicalLocation"))
            .Select(p => (Uri: p.GetProperty("artifactLocation").GetProperty("uri").GetString(), Line: p.GetProperty("region").GetProperty("startLine").GetInt32()))
            .ToList();
        Assert.All(regions, r => Assert.EndsWith("swapped-roles.yaml", r.Uri, StringComparison.Ordinal));
        Assert.Contains(regions, r => r.Line == 50); // - Sid: Ledger
    }

    [Fact]
    public void Stand_ins_and_what_is_left_unresolved_are_said_on_standard_error()
    {
        var run = CliRun.Of("audit", "--cloudformation", Path.Combine(Templates, "unresolved.yaml"), "--format", "json");

        Assert.Equal(3, run.ExitCode); // incomplete, as an audit that could not read something always is
        Assert.Contains("stand-in account 000000000000", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("unresolved.yaml:30 (ExecutionRole.Policies.secrets): Statement[0] names a resource known only at deployment", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("--parameter NAME=VALUE", run.Stdout, StringComparison.Ordinal); // the remedy for a value left to deployment
        // The AWS managed policy the template attaches is read from the embedded corpus, and says so.
        Assert.DoesNotContain("AmazonECSTaskExecutionRolePolicy could not be read", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--cloudformation", "t.yaml", "--live" }, "infrastructure code (--cloudformation, --terraform-plan) is read offline")]
    [InlineData(new[] { "--cloudformation", "t.yaml", "--profile", "p" }, "infrastructure code (--cloudformation, --terraform-plan) is read offline")]
    [InlineData(new[] { "--iam", "a.json", "--task-definitions", "t.json", "--parameter", "A=B" }, "--parameter, --account and --stack-name go with --cloudformation or --terraform-plan")]
    [InlineData(new[] { "--cloudformation", "t.yaml", "--account", "12" }, "--account must be a 12-digit account ID")]
    [InlineData(new[] { "--cloudformation", "t.yaml", "--region", "eu-west-1", "--region", "us-east-1" }, "--region: one region with infrastructure code")]
    [InlineData(new[] { "--cloudformation", "t.yaml", "--parameter", "novalue" }, "--parameter: item 1 is not Key=Value")]
    public void Usage_errors_are_one_line(string[] args, string expected)
    {
        var run = CliRun.Of(["audit", .. args]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_template_is_one_line_naming_the_file_and_line()
    {
        using var dir = new ScratchFolder("era-cfn-");
        var file = Path.Combine(dir.Path, "bad.yaml");
        File.WriteAllText(file, "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties: {RoleName: !Ref Nope}\n");

        var run = CliRun.Of("audit", "--cloudformation", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{file}:4: Ref Nope: no such parameter or resource in the template", run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("Ref Nope", StringComparison.Ordinal));
    }

    [Fact]
    public void Terminal_control_text_in_a_template_never_reaches_standard_error_raw()
    {
        using var dir = new ScratchFolder("era-cfn-");
        var file = Path.Combine(dir.Path, "hostile.yaml");
        File.WriteAllText(file, "Resources:\n  Policy:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyName: p\n      Roles: [\"\\e[31mred\\e]0;title\\a\"]\n      PolicyDocument: {Version: \"2012-10-17\", Statement: []}\n");

        var run = CliRun.Of("audit", "--cloudformation", file);

        Assert.DoesNotContain('\u001b', run.Stderr);
        Assert.DoesNotContain('\a', run.Stderr);
        Assert.Contains("which the template does not declare", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_names_fix_with_the_arguments_that_read_the_template_and_that_command_verifies()
    {
        var audit = CliRun.Of("audit", "--cloudformation", SwappedRoles, "--account", "111122223333", "--region", "eu-west-1");

        // Before deployment nothing is in ECS for --live to read: the command reads the same template.
        var command = audit.StdoutLines.Single(l => l.StartsWith("ecs-role-auditor fix ", StringComparison.Ordinal));
        Assert.Equal($"ecs-role-auditor fix --cloudformation {SwappedRoles} --account 111122223333 --region eu-west-1 --task-definition billing-worker", command);
        var fix = CliRun.Of([.. command.Split(' ').Skip(1), "--verify"]);
        Assert.Equal(0, fix.ExitCode);
        using var json = JsonDocument.Parse(fix.Stdout);
        var written = json.RootElement.GetProperty("fixes")[0];
        Assert.Equal("arn:aws:iam::111122223333:role/billing-worker-execution", written.GetProperty("executionRole").GetProperty("arn").GetString());
        // The template declares the task role too, so its ECR statement comes off it.
        Assert.Equal("arn:aws:iam::111122223333:role/billing-worker-task", written.GetProperty("taskRole").GetProperty("arn").GetString());
        Assert.True(written.GetProperty("verification").GetProperty("holds").GetBoolean());
        // The secret's ARN ends in the stand-in for the suffix Secrets Manager adds: the written role says to use the template's reference.
        Assert.Contains(written.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("stripe-XXXXXX stand for values only deployment gives", StringComparison.Ordinal));
    }

    [Fact]
    public void A_terraform_plan_is_audited_and_fixed_through_the_same_options()
    {
        var plan = Path.Combine(RepositoryPaths.Root, "tests", "EcsRoleAuditor.InfrastructureCode.Tests", "Terraform", "Plans", "swapped-roles.json");

        var audit = CliRun.Of("audit", "--terraform-plan", plan, "--format", "json");
        var fix = CliRun.Of("fix", "--terraform-plan", plan, "--task-definition", "billing-worker", "--verify");

        Assert.Equal(1, audit.ExitCode);
        Assert.Contains(Findings(audit.Stdout), f => f.StartsWith("ERA020 HIGH execution inlinePolicy app-data", StringComparison.Ordinal));
        Assert.Contains(Findings(audit.Stdout), f => f.StartsWith("ERA030 LOW task inlinePolicy pull-and-log", StringComparison.Ordinal));
        Assert.Equal(0, fix.ExitCode);
    }

    // Every template and plan written for the tests, found on disk so that a new one is covered: the roles fix writes verify
    // (the task definition audited again with them has no finding above INFO on the execution role and no ERA030/ERA031 left
    // on the task role). unresolved.yaml names its task role by an import: that role is not fixed, and the exit code says so.
    public static TheoryData<string, int> Fixtures()
    {
        var root = Path.Combine(RepositoryPaths.Root, "tests", "EcsRoleAuditor.InfrastructureCode.Tests");
        var files = Directory.EnumerateFiles(Path.Combine(root, "Templates"), "*.*", SearchOption.TopDirectoryOnly)
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "Terraform", "Plans"), "*.json"))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        var data = new TheoryData<string, int>();
        foreach (var file in files)
        {
            data.Add(file, file == "Templates/unresolved.yaml" ? 3 : 0);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_roles_fix_writes_for_every_test_template_and_plan_verify(string fixture, int exitCode)
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "EcsRoleAuditor.InfrastructureCode.Tests", fixture);
        string[] input = fixture.StartsWith("Terraform/", StringComparison.Ordinal)
            ? ["--terraform-plan", path]
            : ["--cloudformation", path, "--account", "111122223333", "--region", "eu-west-1"];

        var fix = CliRun.Of(["fix", .. input, "--verify"]);

        Assert.Equal(exitCode, fix.ExitCode);
        var fixes = JsonDocument.Parse(fix.Stdout).RootElement.GetProperty("fixes").EnumerateArray().ToList();
        Assert.NotEmpty(fixes);
        Assert.All(fixes, f => Assert.True(f.GetProperty("verification").GetProperty("holds").GetBoolean(), f.ToString()));
    }

    [Fact]
    public void A_plan_whose_containers_are_known_only_after_apply_is_an_incomplete_audit_and_no_fix()
    {
        // A new repository's URL in jsonencode makes all of container_definitions unknown in the plan
        // (https://developer.hashicorp.com/terraform/internals/json-format, after_unknown).
        var plan = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "EcsRoleAuditor.InfrastructureCode.Tests", "Terraform", "Plans", "swapped-roles.json")))!;
        var change = plan["resource_changes"]!.AsArray().Single(c => (string?)c!["address"] == "aws_ecs_task_definition.billing")!["change"]!;
        change["after"]!["container_definitions"] = null;
        change["after_unknown"]!["container_definitions"] = true;
        var config = plan["configuration"]!["root_module"]!["resources"]!.AsArray().Single(r => (string?)r!["address"] == "aws_ecs_task_definition.billing")!;
        config["expressions"]!["container_definitions"] = new JsonObject { ["references"] = new JsonArray("aws_ecr_repository.billing.repository_url", "aws_ecr_repository.billing") };
        using var scratch = new ScratchFolder("era-tf-unknown-");
        var file = scratch.Write("plan.json", plan.ToJsonString());

        var audit = CliRun.Of("audit", "--terraform-plan", file, "--format", "json");
        var table = CliRun.Of("audit", "--terraform-plan", file);
        var fix = CliRun.Of("fix", "--terraform-plan", file, "--verify");

        // The roles are audited (the swapped statements are found), but the containers' needs are not: incomplete, not clean.
        Assert.Equal(3, audit.ExitCode);
        Assert.Contains(Findings(audit.Stdout), f => f.StartsWith("ERA005 MEDIUM execution taskDefinition containerDefinitions", StringComparison.Ordinal));
        Assert.Contains("its containerDefinitions is known only after apply (it uses aws_ecr_repository.billing.repository_url)", audit.Stdout, StringComparison.Ordinal);
        Assert.Contains(Findings(audit.Stdout), f => f.StartsWith("ERA020 HIGH execution inlinePolicy app-data", StringComparison.Ordinal));
        Assert.Contains("task definition fields could not be read", audit.Stderr, StringComparison.Ordinal);
        // No execution role can be written from unknown containers, so the report does not offer the command.
        Assert.Equal(3, table.ExitCode);
        Assert.Contains("ERA020", table.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("ecs-role-auditor fix ", table.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, fix.ExitCode);
        Assert.Contains("ecs-role-auditor: no role written: billing-worker: its containerDefinitions is known only after apply (it uses aws_ecr_repository.billing.repository_url)", fix.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, JsonDocument.Parse(fix.Stdout).RootElement.GetProperty("fixes").GetArrayLength());
    }
}
