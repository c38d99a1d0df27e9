using System.Text.Json;
using EcsRoleAuditor.FakeAws;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>
/// <c>fix</c>: the execution role written from task definition files, and <c>--verify</c>, end to end through the command
/// line; <c>--live</c> as a process against the fake AWS holding the demo account (as <see cref="LiveAuditTests"/> runs it).
/// </summary>
public sealed class FixCommandTests : IAsyncLifetime, IDisposable
{
    private readonly ScratchFolder _dir = new("era-fix-");
    private FakeAwsServer _aws = null!;

    public async Task InitializeAsync()
    {
        var account = FakeAccount.Load(DemoFiles.Account, DemoFiles.TaskDefinitions);
        // The demo's secrets, under the AWS managed key: fix --live asks Secrets Manager which key encrypts each.
        account.AddSecret("arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders-api/db-Xy12Ab");
        account.AddSecret("arn:aws:secretsmanager:eu-west-1:111122223333:secret:legacy/reporting-db-AbC123");
        _aws = await FakeAwsServer.StartAsync(account);
    }

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    private Task<CliRun> Live(params string[] args) => CliProcess.RunAsync(_aws.ClientEnvironment(), ["fix", "--live", .. args]);

    private static List<string?> TaskDefinitions(CliRun run) =>
        [.. JsonDocument.Parse(run.Stdout).RootElement.GetProperty("fixes").EnumerateArray().Select(f => f.GetProperty("taskDefinition").GetString())];

    [Fact]
    public async Task Live_task_definition_gets_the_same_roles_as_from_the_files()
    {
        var live = await Live("--task-definition", "billing-worker:12", "--verify");
        var file = CliRun.Of("fix", "--task-definitions", DemoFiles.TaskDefinitions, "--iam", DemoFiles.Account, "--task-definition", "billing-worker:12", "--verify");

        Assert.Equal(0, live.ExitCode);
        Assert.Equal(file.Stdout, live.Stdout);
        Assert.Equal(1, _aws.CallCount("DescribeTaskDefinition"));
        // The current roles come from IAM, as audit --live reads them.
        Assert.True(_aws.CallCount("GetRole") + _aws.CallCount("GetAccountAuthorizationDetails") > 0);
        Assert.Contains("roles read with ", live.Stderr, StringComparison.Ordinal);
        Assert.True(JsonDocument.Parse(live.Stdout).RootElement.GetProperty("fixes")[0].TryGetProperty("taskRole", out _));
    }

    [Fact]
    public async Task A_task_role_that_cannot_be_read_live_is_named_and_the_fix_is_incomplete()
    {
        _aws.Faults.DenyAccess("GetRole", resource: "billing-worker-task");

        var run = await Live("--task-definition", "billing-worker:12");

        Assert.Equal(3, run.ExitCode);
        var fix = Assert.Single(JsonDocument.Parse(run.Stdout).RootElement.GetProperty("fixes").EnumerateArray());
        Assert.False(fix.TryGetProperty("taskRole", out _));
        Assert.Contains("billing-worker:12: the task role arn:aws:iam::111122223333:role/billing-worker-task could not be read (", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("its task role is not fixed", run.Stderr, StringComparison.Ordinal);
    }

    // Amazon ECS Developer Guide, "Amazon ECS task execution IAM role": pulling from ECR is the execution role's job; the
    // task role ("Amazon ECS task IAM role") keeps what the application calls, here its awslogs statement.
    [Fact]
    public void With_iam_the_swapped_billing_worker_gets_its_task_role_without_the_image_pull()
    {
        var run = CliRun.Of("fix", "--task-definitions", DemoFiles.TaskDefinitions, "--iam", DemoFiles.Account, "--task-definition", "billing-worker", "--verify");

        Assert.Equal(0, run.ExitCode);
        var fix = Assert.Single(JsonDocument.Parse(run.Stdout).RootElement.GetProperty("fixes").EnumerateArray());
        Assert.Equal(
            """{"arn":"arn:aws:iam::111122223333:role/billing-worker-task","policies":[{"change":"rewrite","kind":"inline","name":"ecr-and-logs","policy":{"Version":"2012-10-17","Statement":[{"Sid":"WriteLogs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/billing-worker:*"}]},"reason":"Replace inline policy ecr-and-logs with this document."}],"moved":[{"kind":"inline","name":"ecr-and-logs","statement":"PullImages","actions":["ecr:BatchCheckLayerAvailability","ecr:BatchGetImage","ecr:GetAuthorizationToken","ecr:GetDownloadUrlForLayer"],"wholeStatement":true,"to":"moved to the execution role"}]}""",
            Compact(fix.GetProperty("taskRole")));
        var execution = fix.GetProperty("executionRole");
        Assert.Equal("arn:aws:iam::111122223333:role/billing-worker-execution", execution.GetProperty("arn").GetString());
        Assert.Equal(
            """[{"kind":"inline","name":"app-data"},{"kind":"awsManaged","arn":"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"}]""",
            Compact(execution.GetProperty("replaces")));
        var verification = fix.GetProperty("verification");
        Assert.True(verification.GetProperty("holds").GetBoolean());
        Assert.Empty(verification.GetProperty("remaining").EnumerateArray());
    }

    [Fact]
    public void With_iam_every_demo_task_definition_verifies_and_the_shared_role_keeps_its_own_breadth_findings()
    {
        var run = CliRun.Of("fix", "--task-definitions", DemoFiles.TaskDefinitions, "--iam", DemoFiles.Account, "--verify");

        Assert.Equal(0, run.ExitCode);
        var fixes = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("fixes").EnumerateArray().ToList();
        Assert.All(fixes, f => Assert.True(f.GetProperty("verification").GetProperty("holds").GetBoolean()));
        // orders-api is wired as AWS recommends: nothing on its task role changes.
        Assert.Empty(fixes[0].GetProperty("taskRole").GetProperty("policies").EnumerateArray());
        Assert.Contains(fixes[2].GetProperty("verification").GetProperty("remaining").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "ERA041");
    }

    [Fact]
    public void Diff_shows_each_written_policy_against_the_current_one()
    {
        var run = CliRun.Of("fix", "--task-definitions", DemoFiles.TaskDefinitions, "--iam", DemoFiles.Account, "--task-definition", "billing-worker", "--format", "diff");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("# billing-worker:12\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("# note: billing-worker-execution's permissions come from managed policies (AmazonECSTaskExecutionRolePolicy) too", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("--- a/billing-worker-execution/app-data\n+++ /dev/null\n@@ -1,23 +0,0 @@\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("--- /dev/null\n+++ b/billing-worker-execution/ecs-task-execution\n@@ -0,0 +1,30 @@\n", run.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("""
            --- a/billing-worker-task/ecr-and-logs
            +++ b/billing-worker-task/ecr-and-logs
            @@ -2,17 +2,6 @@
               "Version": "2012-10-17",
               "Statement": [
                 {
            -      "Sid": "PullImages",
            -      "Effect": "Allow",
            -      "Action": [
            -        "ecr:GetAuthorizationToken",
            -        "ecr:BatchCheckLayerAvailability",
            -        "ecr:GetDownloadUrlForLayer",
            -        "ecr:BatchGetImage"
            -      ],
            -      "Resource": "*"
            -    },
            -    {
                   "Sid": "WriteLogs",
                   "Effect": "Allow",
                   "Action": [

            """.ReplaceLineEndings("\n"), run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_current_kms_Decrypt_is_kept_for_secrets_of_unknown_keys_and_verifies()
    {
        var (definitions, iam) = FixKeptKmsDecryptInput.Write(_dir);

        var run = CliRun.Of("fix", "--task-definitions", definitions, "--iam", iam, "--verify");

        Assert.Equal(0, run.ExitCode);
        var fix = Assert.Single(JsonDocument.Parse(run.Stdout).RootElement.GetProperty("fixes").EnumerateArray());
        var statements = fix.GetProperty("executionRole").GetProperty("policy").GetProperty("Statement").EnumerateArray().ToList();
        Assert.Equal(FixKeptKmsDecryptInput.KeptStatement, Compact(statements[^1]));
        Assert.Contains(fix.GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith(
            "The input does not say which KMS key encrypts secret DB of container web, secret TOKEN of container web: the statement KeptKmsDecrypt keeps kms:Decrypt on *",
            StringComparison.Ordinal));
        Assert.True(fix.GetProperty("verification").GetProperty("holds").GetBoolean());
    }

    [Fact]
    public void Diff_adds_the_kept_kms_Decrypt_to_the_written_policy()
    {
        var (definitions, iam) = FixKeptKmsDecryptInput.Write(_dir);

        var run = CliRun.Of("fix", "--task-definitions", definitions, "--iam", iam, "--format", "diff");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("# note: The input does not say which KMS key encrypts secret DB of container web", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("""
            +    {
            +      "Sid": "KeptKmsDecrypt",
            +      "Effect": "Allow",
            +      "Action": "kms:Decrypt",
            +      "Resource": "*",
            +      "Condition": {
            +        "StringEquals": {
            +          "kms:ViaService": [
            +            "secretsmanager.eu-west-1.amazonaws.com",
            +            "ssm.eu-west-1.amazonaws.com"
            +          ]
            """.ReplaceLineEndings("\n"), run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_without_the_current_roles_adds_the_execution_policy_and_names_no_task_role()
    {
        var run = CliRun.Of("fix", "--task-definitions", DemoFiles.TaskDefinitions, "--task-definition", "billing-worker", "--format", "diff");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--- /dev/null\n+++ b/billing-worker-execution/ecs-task-execution\n", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("billing-worker-task", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_iam_file_is_one_line_naming_it()
    {
        var file = _dir.Write("iam-broken.json", "{\"RoleDetailList\":[");

        var run = CliRun.Of("fix", "--task-definitions", DemoFiles.TaskDefinitions, "--iam", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Contains("iam-broken.json", run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static string Compact(JsonElement element) => JsonSerializerText(element);

    private static string JsonSerializerText(JsonElement element)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            element.WriteTo(writer);
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task Live_all_writes_the_role_of_every_active_family()
    {
        var run = await Live("--all", "--verify");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["billing-worker:12", "legacy-reports:3", "orders-api:7"], TaskDefinitions(run).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_task_definition_that_cannot_be_read_is_named_and_the_others_are_still_written()
    {
        _aws.Faults.DenyAccess("DescribeTaskDefinition", resource: "orders-api");

        var run = await Live("--task-definition", "orders-api:7", "--task-definition", "billing-worker:12", "--task-definition", "no-such-family", "--verify");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal(["billing-worker:12"], TaskDefinitions(run));
        Assert.Contains("orders-api:7 could not be read: DescribeTaskDefinition failed (", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("no-such-family could not be read", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fix", "--live", "--all", "--task-definitions", "TASK_DEFINITIONS")]
    [InlineData("fix", "--live", "--all", "--task-definition", "orders-api")]
    [InlineData("fix", "--live")]
    [InlineData("fix", "--live", "--all", "--iam", "IAM")]
    [InlineData("fix", "--task-definitions", "TASK_DEFINITIONS", "--all")]
    [InlineData("fix", "--task-definitions", "TASK_DEFINITIONS", "--region", "eu-west-1")]
    public void Live_options_out_of_place_are_a_usage_error(params string[] args)
    {
        var run = CliRun.Of([.. args.Select(a => a == "TASK_DEFINITIONS" ? DemoFiles.TaskDefinitions : a == "IAM" ? DemoFiles.Account : a)]);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public void Demo_task_definitions_get_execution_roles_that_verify()
    {
        var run = CliRun.Of("fix", "--task-definitions", DemoFiles.TaskDefinitions, "--verify");

        Assert.Equal(0, run.ExitCode);
        var fixes = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("fixes").EnumerateArray().ToList();
        Assert.Equal(["orders-api:7", "billing-worker:12", "legacy-reports:3"], fixes.Select(f => f.GetProperty("taskDefinition").GetString()));
        Assert.All(fixes, f => Assert.True(f.GetProperty("verification").GetProperty("holds").GetBoolean()));
        // legacy-reports shares one role between both slots: it gets an execution role of its own.
        Assert.True(fixes[2].GetProperty("executionRole").GetProperty("create").GetBoolean());
        Assert.Equal("2012-10-17", fixes[0].GetProperty("executionRole").GetProperty("policy").GetProperty("Version").GetString());
    }

    [Fact]
    public void Task_definition_option_picks_one_and_without_verify_there_is_no_verification()
    {
        var run = CliRun.Of("fix", "--task-definitions", DemoFiles.TaskDefinitions, "--task-definition", "orders-api:7");

        Assert.Equal(0, run.ExitCode);
        var fix = Assert.Single(JsonDocument.Parse(run.Stdout).RootElement.GetProperty("fixes").EnumerateArray());
        Assert.Equal("arn:aws:iam::111122223333:role/service-role/orders-api-execution", fix.GetProperty("executionRole").GetProperty("arn").GetString());
        Assert.False(fix.TryGetProperty("verification", out _));
    }

    [Fact]
    public void A_role_left_with_a_placeholder_does_not_verify()
    {
        var file = _dir.Write("no-arn.json", """{"taskDefinition":{"family":"web\u202eevil","executionRoleArn":"web-execution","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]}}""");

        var run = CliRun.Of("fix", "--task-definitions", file, "--verify");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("do not verify", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain('\u202e', run.Stdout + run.Stderr);
        var fix = Assert.Single(JsonDocument.Parse(run.Stdout).RootElement.GetProperty("fixes").EnumerateArray());
        Assert.Equal("web\u202eevil", fix.GetProperty("taskDefinition").GetString());
        Assert.Equal(JsonValueKind.Null, fix.GetProperty("executionRole").GetProperty("policy").ValueKind);
        Assert.Single(fix.GetProperty("verification").GetProperty("unfinished").EnumerateArray());
    }

    [Fact]
    public void Bad_input_is_one_line_naming_the_file()
    {
        var file = _dir.Write("broken.json", "{\"taskDefinition\":");

        var run = CliRun.Of("fix", "--task-definitions", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Contains("broken.json", run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("--task-definition", "nope:1")]
    [InlineData("--format", "yaml")]
    public void Unknown_task_definition_or_format_is_a_usage_error(string option, string value)
    {
        var run = CliRun.Of("fix", "--task-definitions", DemoFiles.TaskDefinitions, option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(value, run.Stderr, StringComparison.Ordinal);
    }
}
