using System.Text.Json;
using EcsRoleAuditor.FakeAws;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>
/// <c>audit --live --accounts</c>/<c>--organization</c> end to end, the CLI as a process against the fake AWS: the
/// caller's account (111122223333, eu-west-1, the organization's management account), member A (444455556666) in
/// eu-west-1 and us-east-1 with the reader role, member B (777788889999) in both regions without it, and a suspended
/// fourth member. Each reader role trusts the caller's account, as member.yaml's TrustedPrincipals would.
/// </summary>
public sealed class AccountsAuditTests : IAsyncLifetime
{
    private const string Caller = "111122223333";
    private const string MemberA = "444455556666";
    private const string MemberB = "777788889999";
    private const string Suspended = "999900001111";
    private const string Reader = "EcsRoleAuditorReader";
    private FakeAwsServer _aws = null!;

    public async Task InitializeAsync() => _aws = await FakeAwsServer.StartAsync(Accounts(), Organization(managedBy: Caller));

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    private static string Trust(string principal) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{{principal}},"Action":"sts:AssumeRole"}]}""";

    private static readonly string TrustsCaller = Trust($$"""{"AWS":"arn:aws:iam::{{Caller}}:root"}""");
    private static readonly string TrustsEcsTasks = Trust("""{"Service":"ecs-tasks.amazonaws.com"}""");

    private static string TaskDefinitionArn(string account, string region, string family, int revision) =>
        $"arn:aws:ecs:{region}:{account}:task-definition/{family}:{revision}";

    private static List<FakeAccount> Accounts()
    {
        var caller = new FakeAccount { AccountId = Caller, Region = "eu-west-1" };
        caller.AddRole(Reader, TrustsCaller);
        caller.AddRole("billing-task", TrustsEcsTasks);
        caller.AddTaskDefinition("billing", 3, $"arn:aws:iam::{Caller}:role/billing-task", null);

        var memberAEurope = new FakeAccount { AccountId = MemberA, Region = "eu-west-1" };
        memberAEurope.AddRole(Reader, TrustsCaller);
        memberAEurope.AddRole("web-task", TrustsEcsTasks);
        memberAEurope.AddTaskDefinition("web", 1, $"arn:aws:iam::{MemberA}:role/web-task", null);
        memberAEurope.AddTaskDefinition("web", 2, $"arn:aws:iam::{MemberA}:role/web-task", null);
        var memberAVirginia = new FakeAccount { AccountId = MemberA, Region = "us-east-1" };
        memberAVirginia.AddTaskDefinition("web", 5, $"arn:aws:iam::{MemberA}:role/web-task", null);

        // No reader role: member.yaml was never deployed here.
        var memberBEurope = new FakeAccount { AccountId = MemberB, Region = "eu-west-1" };
        memberBEurope.AddRole("web-task", TrustsEcsTasks);
        memberBEurope.AddTaskDefinition("web", 9, $"arn:aws:iam::{MemberB}:role/web-task", null);
        var memberBVirginia = new FakeAccount { AccountId = MemberB, Region = "us-east-1" };
        return [caller, memberAEurope, memberAVirginia, memberBEurope, memberBVirginia];
    }

    private static FakeOrganization Organization(string managedBy)
    {
        var organization = new FakeOrganization("o-exampleorg01", managedBy);
        organization.AddAccount(Caller);
        organization.AddAccount(MemberA);
        organization.AddAccount(MemberB);
        // Organizations lists SUSPENDED accounts too; they are not audited.
        // https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html
        organization.AddAccount(Suspended, status: "SUSPENDED");
        return organization;
    }

    private Task<CliRun> Cli(params string[] args) => CliProcess.RunAsync(_aws.ClientEnvironment(), args);

    private static List<JsonElement> Reports(CliRun run) => [.. JsonDocument.Parse(run.Stdout).RootElement.GetProperty("reports").EnumerateArray()];

    private static string? ArnOf(JsonElement report) => report.GetProperty("taskDefinitionArn").GetString();

    private static string[] RuleIds(JsonElement report) => [.. report.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString()!)];

    private static string Message(JsonElement report) => report.GetProperty("findings")[0].GetProperty("message").GetString()!;

    // The roles assumed successfully, by account: AssumeRole is called once per account, not once per region.
    private Dictionary<string, int> AssumedPerAccount() =>
        _aws.AssumedRoles.GroupBy(r => r.RoleArn.Split(':')[4]).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public async Task Every_account_and_region_is_audited_through_its_reader_role_and_one_without_it_is_incomplete()
    {
        _aws.Reset();

        var run = await Cli("audit", "--live", "--accounts", $"{MemberB},{MemberA}", "--accounts", Caller, "--region", "us-east-1", "--region", "eu-west-1",
            "--all", "--format", "json");

        Assert.Equal(3, run.ExitCode);
        var reports = Reports(run);
        // By account, then region; the caller's us-east-1 and B's regions have nothing listed or nothing readable.
        Assert.Equal(
            [
                TaskDefinitionArn(Caller, "eu-west-1", "billing", 3),
                TaskDefinitionArn(MemberA, "eu-west-1", "web", 2),
                TaskDefinitionArn(MemberA, "us-east-1", "web", 5),
                null,
                null,
            ],
            reports.Select(ArnOf));
        Assert.Equal(["ERA005"], RuleIds(reports[3]));
        Assert.Equal($"account {MemberB} in eu-west-1", reports[3].GetProperty("family").GetString());
        Assert.Contains($"the reader role arn:aws:iam::{MemberB}:role/{Reader} could not be assumed (AccessDenied)", Message(reports[3]), StringComparison.Ordinal);
        Assert.Equal($"account {MemberB} in us-east-1", reports[4].GetProperty("family").GetString());
        Assert.Contains($"1 account incomplete: {MemberB} (see the ERA005 findings)", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("3 accounts in 2 regions audited", run.Stderr, StringComparison.Ordinal);
        // The caller's own account is assumed like the others, each once (B's refusal too), with the CLI's session name
        // (RoleSessionName: letters, digits and _=,.@-, no spaces, 2 to 64 characters; CloudTrail in the member account
        // shows it: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
        Assert.Equal(new Dictionary<string, int> { [Caller] = 1, [MemberA] = 1 }, AssumedPerAccount());
        Assert.Equal(3, _aws.CallCount("AssumeRole"));
        Assert.All(_aws.AssumedRoles, r => Assert.Equal("ecs-role-auditor-cli", r.RoleSessionName));
        // No progress line when standard error is not a terminal.
        Assert.DoesNotContain("so far", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_organization_is_its_active_accounts_and_a_family_missing_in_one_is_that_accounts_result()
    {
        _aws.Reset();

        var run = await Cli("audit", "--live", "--organization", "--task-definition", "web", "--region", "eu-west-1", "--format", "json");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal(1, _aws.CallCount("ListAccounts"));
        var reports = Reports(run);
        Assert.Equal(3, reports.Count);
        // The caller has no family web: the ordinary ERA005 of a missing task definition, naming the account.
        Assert.Equal(["ERA005"], RuleIds(reports[0]));
        Assert.Contains($"The audit of web in account {Caller} in eu-west-1 is incomplete", Message(reports[0]), StringComparison.Ordinal);
        Assert.Equal(TaskDefinitionArn(MemberA, "eu-west-1", "web", 2), ArnOf(reports[1]));
        Assert.Equal($"account {MemberB} in eu-west-1", reports[2].GetProperty("family").GetString());
        Assert.Contains($"2 accounts incomplete: {Caller}, {MemberB}", run.Stderr, StringComparison.Ordinal);
        // The suspended account is neither assumed nor audited.
        Assert.DoesNotContain(_aws.Calls.All, c => c.Operation == "AssumeRole" && c.Parameters.GetValueOrDefault("RoleArn", "").Contains(Suspended, StringComparison.Ordinal));
        Assert.DoesNotContain(Suspended, run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_table_names_the_account_and_region_of_each_task_definition()
    {
        _aws.Reset();

        var run = await Cli("audit", "--live", "--accounts", MemberA, "--region", "eu-west-1", "--region", "us-east-1", "--task-definition", "web:2");

        var titles = run.Stdout.Split('\n').Where(l => l.StartsWith("web:", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"web:2  {TaskDefinitionArn(MemberA, "eu-west-1", "web", 2)}", $"web:2  {TaskDefinitionArn(MemberA, "us-east-1", "web", 2)}"], titles);
        // web:2 is not in us-east-1: its ERA005 carries the ARN it was looked for under, and says how to audit it again there.
        var words = string.Join(' ', run.Stdout.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"The audit of web:2 in account {MemberA} in us-east-1 is incomplete", words, StringComparison.Ordinal);
        Assert.Contains($"run ecs-role-auditor audit --live --accounts {MemberA} --region us-east-1 --task-definition web:2.", words, StringComparison.Ordinal);
        Assert.Equal(3, run.ExitCode);
    }

    [Fact]
    public async Task Every_SARIF_result_names_its_account()
    {
        _aws.Reset();

        var run = await Cli("audit", "--live", "--organization", "--task-definition", "web", "--region", "eu-west-1", "--format", "sarif");

        var results = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        Assert.Contains(results, r => r.GetProperty("ruleId").GetString() == "ERA005");
        Assert.All(results, result =>
        {
            // The task definition's location is its ARN where there is one; else the message says whose it is.
            var where = result.GetProperty("locations")[0].GetProperty("logicalLocations")[0].GetProperty("fullyQualifiedName").GetString()
                + " " + result.GetProperty("message").GetProperty("text").GetString();
            Assert.Contains(new[] { Caller, MemberA, MemberB }, account => where.Contains(account, StringComparison.Ordinal));
        });
    }

    // ListAccounts answers the management account and delegated administrators only ("Operations you can call from
    // only the organization's management account or a member account designated as a delegated administrator"):
    // https://docs.aws.amazon.com/organizations/latest/APIReference/action-reference.html
    [Fact]
    public async Task An_organization_that_cannot_be_listed_is_incomplete_and_says_who_may_list_it()
    {
        await using var aws = await FakeAwsServer.StartAsync(Accounts(), Organization(managedBy: MemberA));

        var run = await CliProcess.RunAsync(aws.ClientEnvironment(), "audit", "--live", "--organization", "--all", "--format", "json");

        Assert.Equal(3, run.ExitCode);
        var report = Assert.Single(Reports(run));
        Assert.Equal(["ERA005"], RuleIds(report));
        Assert.Contains("organizations:ListAccounts failed (AccessDeniedException)", Message(report), StringComparison.Ordinal);
        Assert.Contains("management account and delegated administrators", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, aws.CallCount("AssumeRole"));
    }

    [Fact]
    public async Task An_STS_that_cannot_be_reached_makes_each_account_incomplete_not_the_run_fail()
    {
        _aws.Reset();
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var environment = _aws.ClientEnvironment();
        environment["AWS_ENDPOINT_URL_STS"] = $"http://127.0.0.1:{port}";

        var run = await CliProcess.RunAsync(environment, "audit", "--live", "--accounts", $"{Caller},{MemberA}", "--region", "eu-west-1", "--region", "us-east-1",
            "--all", "--format", "json");

        Assert.Equal(3, run.ExitCode);
        var reports = Reports(run);
        Assert.Equal(4, reports.Count);
        Assert.All(reports, r => Assert.Contains("could not be assumed (STS could not be reached)", Message(r), StringComparison.Ordinal));
        Assert.Contains($"2 accounts incomplete: {Caller}, {MemberA}", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("16")]
    public async Task Any_concurrency_in_bounds_gives_the_same_report(string concurrency)
    {
        _aws.Reset();

        var run = await Cli("audit", "--live", "--accounts", $"{Caller},{MemberA},{MemberB}", "--region", "eu-west-1", "--region", "us-east-1", "--all",
            "--concurrency", concurrency, "--format", "json");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal(5, Reports(run).Count);
        Assert.Equal(new Dictionary<string, int> { [Caller] = 1, [MemberA] = 1 }, AssumedPerAccount());
        Assert.Equal(3, _aws.CallCount("AssumeRole"));
    }

    [Fact]
    public async Task A_throttled_AssumeRole_is_retried_not_an_incomplete_account()
    {
        // STS throttles per calling account (every AssumeRole of the run is the caller's); ThrottlingException is
        // retryable (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html), so a burst of 16 at once
        // must not leave an account unaudited.
        _aws.Reset();
        _aws.Faults.Throttle("AssumeRole", times: 2, resource: $"arn:aws:iam::{MemberA}:role/{Reader}");

        var run = await Cli("audit", "--live", "--accounts", $"{Caller},{MemberA}", "--region", "eu-west-1", "--region", "us-east-1", "--all",
            "--concurrency", "16", "--format", "json");

        Assert.NotEqual(3, run.ExitCode);
        Assert.DoesNotContain(Reports(run), r => RuleIds(r).Contains("ERA005"));
        Assert.Equal(new Dictionary<string, int> { [Caller] = 1, [MemberA] = 1 }, AssumedPerAccount());
        // The two throttled calls, then one each.
        Assert.Equal(4, _aws.CallCount("AssumeRole"));
    }

    [Fact]
    public async Task Regions_of_two_partitions_are_a_usage_error_not_an_incomplete_account_in_each()
    {
        // The reader roles are assumed with credentials of the first region's partition (arn:aws:iam::...); China's
        // endpoints are another partition's and take none of them (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html).
        _aws.Reset();

        var run = await Cli("audit", "--live", "--accounts", MemberA, "--region", "eu-west-1", "--region", "cn-north-1", "--all", "--format", "json");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("ecs-role-auditor: --region: item 2 is in partition aws-cn, item 1 in aws: audit each partition in its own run", run.Stderr.TrimEnd('\n'));
        Assert.Equal(0, _aws.CallCount("AssumeRole"));
    }

    // RoleName: 1 to 64 of letters, digits and +=,.@_- (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html).
    [Theory]
    [InlineData("--concurrency", "0", "--concurrency must be from 1 to 16, not 0")]
    [InlineData("--concurrency", "17", "--concurrency must be from 1 to 16, not 17")]
    [InlineData("--role-name", "bad/name", "--role-name must be an IAM role name: 1 to 64 letters, digits and +=,.@_-")]
    [InlineData("--region", "eu-west-1\u001b[31m", "--region: item 1 is not a region name such as eu-west-1")]
    public void Bounds_of_the_accounts_options_are_usage_errors(string option, string value, string message)
    {
        var run = CliRun.Of("audit", "--live", "--accounts", Caller, "--all", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"ecs-role-auditor: {message}", run.Stderr.TrimEnd('\n'));
    }

    [Theory]
    [InlineData("11112222333", "--accounts: item 1 is not a 12-digit account id")]
    [InlineData("111122223333,44445555666x", "--accounts: item 2 is not a 12-digit account id")]
    [InlineData("111122223333,\u001b]0;pwned\u0007", "--accounts: item 2 is not a 12-digit account id")]
    [InlineData("111122223333,", "--accounts: item 2 is not a 12-digit account id")]
    [InlineData("111122223333,444455556666,111122223333", "--accounts: item 3 repeats account 111122223333")]
    public void A_malformed_or_repeated_account_is_a_usage_error_naming_the_item(string accounts, string message)
    {
        var run = CliRun.Of("audit", "--live", "--accounts", accounts, "--all");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"ecs-role-auditor: {message}", run.Stderr.TrimEnd('\n'));
    }

    [Fact]
    public void Accounts_do_not_go_with_assume_role_the_organization_an_ARN_or_without_live()
    {
        var assumeRole = CliRun.Of("audit", "--live", "--accounts", Caller, "--assume-role", $"arn:aws:iam::{Caller}:role/x", "--all");
        var both = CliRun.Of("audit", "--live", "--accounts", Caller, "--organization", "--all");
        var arn = CliRun.Of("audit", "--live", "--organization", "--task-definition", TaskDefinitionArn(Caller, "eu-west-1", "billing", 3));
        var roleNameAlone = CliRun.Of("audit", "--live", "--role-name", Reader, "--all");
        var offline = CliRun.Of("audit", "--iam", DemoFiles.Account, "--task-definitions", DemoFiles.TaskDefinitions, "--organization");
        var twoRegions = CliRun.Of("audit", "--live", "--region", "eu-west-1", "--region", "us-east-1", "--all");

        Assert.All([assumeRole, both, arn, roleNameAlone, offline, twoRegions], run => Assert.Equal(2, run.ExitCode));
        Assert.All([assumeRole, both, arn, roleNameAlone, offline, twoRegions], run => Assert.Single(run.Stderr.TrimEnd('\n').Split('\n')));
        Assert.Contains("--assume-role audits one other account", assumeRole.Stderr, StringComparison.Ordinal);
        Assert.Contains("give --accounts or --organization, not both", both.Stderr, StringComparison.Ordinal);
        Assert.Contains("not an ARN", arn.Stderr, StringComparison.Ordinal);
        Assert.Contains("--role-name and --concurrency go with --accounts or --organization", roleNameAlone.Stderr, StringComparison.Ordinal);
        Assert.Contains("--organization", offline.Stderr, StringComparison.Ordinal);
        Assert.Contains("--region is given once", twoRegions.Stderr, StringComparison.Ordinal);
    }
}
