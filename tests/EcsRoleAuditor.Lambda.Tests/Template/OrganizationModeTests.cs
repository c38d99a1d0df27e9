using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Lambda.Tests.Template;

/// <summary>
/// template.yaml in organization mode (issue 15, docs/organization.md): the central bus and its policy, the sweep
/// queue and its mapping, the function's extra permissions and the outputs member.yaml takes; and a single-account
/// deployment (OrganizationId empty) that gets none of them.
/// </summary>
public sealed class OrganizationModeTests
{
    private const string Organization = "o-exampleorg1";

    /// <summary>The organization mode settings of the contract, set in the function's environment in that mode only.</summary>
    internal static readonly string[] Variables = ["ORGANIZATION_ID", "READER_ROLE_NAME", "AUDIT_REGIONS", "ACCOUNTS", "EXCLUDED_ACCOUNTS", "SWEEP_QUEUE_URL"];

    private static readonly string[] OrganizationResources =
        ["CentralEventBus", "CentralEventBusPolicy", "SweepDeadLetterQueue", "SweepDeadLetterQueueAlarm", "SweepQueue", "SweepQueueMapping", "SweepQueuePolicy"];

    private static readonly string QueueArn = $"arn:aws:sqs:{SamTemplate.Region}:{SamTemplate.Account}:{SamTemplate.StackName}-SweepQueue-1ABCDEF";
    private static readonly string DeadLetterQueueArn = $"arn:aws:sqs:{SamTemplate.Region}:{SamTemplate.Account}:{SamTemplate.StackName}-SweepDeadLetterQueue-1ABCDEF";
    private static readonly string BusArn = $"arn:aws:events:{SamTemplate.Region}:{SamTemplate.Account}:event-bus/{SamTemplate.StackName}";

    private static Dictionary<string, string> OrganizationMode(params (string Name, string Value)[] more) =>
        new[] { ("OrganizationId", Organization) }.Concat(more).ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);

    private static readonly Dictionary<string, string> SingleAccount = new(StringComparer.Ordinal);

    // The stack CloudFormation would create: the resources whose condition holds, intrinsic functions resolved.
    private static JsonObject Deployed(IReadOnlyDictionary<string, string> parameters) =>
        new(SamTemplate.Resources
            .Where(r => r.Value!["Condition"] is not JsonValue condition || SamTemplate.Holds(condition.GetValue<string>(), parameters))
            .Select(r => KeyValuePair.Create(r.Key, SamTemplate.Resolve(r.Value, parameters))));

    private static JsonObject Properties(string logicalId, IReadOnlyDictionary<string, string> parameters) =>
        SamTemplate.Resolve(SamTemplate.Resource(logicalId)["Properties"], parameters)!.AsObject();

    private static JsonObject Environment(IReadOnlyDictionary<string, string> parameters) =>
        Deployed(parameters)["EcsRoleAuditorFunction"]!["Properties"]!["Environment"]!["Variables"]!.AsObject();

    private static JsonObject Statement(JsonObject policy, string sid) =>
        policy["Statement"]!.AsArray().Single(s => s!["Sid"]!.GetValue<string>() == sid)!.AsObject();

    private static string[] Strings(JsonNode? node) =>
        node is JsonArray list ? [.. list.Select(v => v!.GetValue<string>())] : [node!.GetValue<string>()];

    private static JsonObject Parameter(string name) => SamTemplate.Root["Parameters"]![name]!.AsObject();

    [Fact]
    public void A_single_account_deployment_creates_no_organization_resource_and_refers_to_none()
    {
        Assert.False(SamTemplate.Holds("OrganizationMode", SingleAccount));
        Assert.Equal(OrganizationResources, SamTemplate.Resources
            .Where(r => r.Value!["Condition"]?.GetValue<string>() == "OrganizationMode").Select(r => r.Key).Order(StringComparer.Ordinal));

        var deployed = Deployed(SingleAccount);
        Assert.DoesNotContain(deployed, r => OrganizationResources.Contains(r.Key));
        var text = deployed.ToJsonString();
        Assert.All(new[] { "SweepQueue", "SweepDeadLetterQueue", "event-bus/", "EventBusName", "organization-mode", "organizations:", "aws:ResourceOrgID" },
            leak => Assert.DoesNotContain(leak, text, StringComparison.Ordinal));
        // The function's environment is the single-account one: no organization variable, not even empty.
        Assert.DoesNotContain(Environment(SingleAccount), v => Variables.Contains(v.Key));
        Assert.All(new[] { "CentralEventBusArn", "FunctionRoleArn" },
            output => Assert.Equal("OrganizationMode", SamTemplate.Root["Outputs"]![output]!["Condition"]!.GetValue<string>()));
    }

    [Fact]
    public void Organization_mode_creates_the_bus_and_the_queue_and_tells_the_function_the_contracts_settings()
    {
        var parameters = OrganizationMode();

        Assert.True(SamTemplate.Holds("OrganizationMode", parameters));
        Assert.All(OrganizationResources, r => Assert.Contains(r, (IDictionary<string, JsonNode?>)Deployed(parameters)));
        var environment = Environment(parameters);
        Assert.Equal(Organization, environment["ORGANIZATION_ID"]!.GetValue<string>());
        Assert.Equal("EcsRoleAuditorReader", environment["READER_ROLE_NAME"]!.GetValue<string>());
        Assert.Equal(("", ""), (environment["AUDIT_REGIONS"]!.GetValue<string>(), environment["ACCOUNTS"]!.GetValue<string>()));
        Assert.Equal($"https://sqs.{SamTemplate.Region}.amazonaws.com/{SamTemplate.Account}/{SamTemplate.StackName}-SweepQueue-1ABCDEF",
            environment["SWEEP_QUEUE_URL"]!.GetValue<string>());
        var given = Environment(OrganizationMode(("AuditRegions", "us-east-1,eu-west-1"), ("Accounts", "111122223333"), ("MemberReaderRoleName", "AuditReader")));
        Assert.Equal(("us-east-1,eu-west-1", "111122223333", "AuditReader"),
            (given["AUDIT_REGIONS"]!.GetValue<string>(), given["ACCOUNTS"]!.GetValue<string>(), given["READER_ROLE_NAME"]!.GetValue<string>()));
    }

    // The contract's formats (docs/organization.md): an organization id is o- and 10 to 32 lowercase letters or digits
    // (the pattern of member.yaml's OrganizationId); lists are comma-separated without spaces.
    [Theory]
    [InlineData("OrganizationId", "", true)]
    [InlineData("OrganizationId", "o-exampleorg1", true)]
    [InlineData("OrganizationId", "o-abc", false)]
    [InlineData("OrganizationId", "o-EXAMPLEORG1", false)]
    [InlineData("OrganizationId", "r-exampleorg1", false)]
    [InlineData("OrganizationId", "o-abcdefghijklmnopqrstuvwxyz0123456", false)]
    [InlineData("Accounts", "", true)]
    [InlineData("Accounts", "111122223333", true)]
    [InlineData("Accounts", "111122223333,444455556666", true)]
    [InlineData("Accounts", "111122223333, 444455556666", false)]
    [InlineData("Accounts", "11112222333", false)]
    [InlineData("AuditRegions", "", true)]
    [InlineData("AuditRegions", "eu-west-1", true)]
    [InlineData("AuditRegions", "us-east-1,ap-southeast-2,us-gov-west-1", true)]
    [InlineData("AuditRegions", "eu-west-1,", false)]
    [InlineData("AuditRegions", "EU-WEST-1", false)]
    // The function's own check (AwsNames.IsRegion): a region ends in a number of one or two digits.
    [InlineData("AuditRegions", "eu-west-100", false)]
    [InlineData("ExcludedAccounts", "111122223333,444455556666", true)]
    [InlineData("ExcludedAccounts", "1111-2222-3333", false)]
    [InlineData("MemberReaderRoleName", "EcsRoleAuditorReader", true)]
    [InlineData("MemberReaderRoleName", "path/EcsRoleAuditorReader", false)]
    public void The_organization_parameters_accept_what_the_contract_allows(string name, string value, bool accepted)
    {
        Assert.Equal(accepted, Regex.IsMatch(value, Parameter(name)["AllowedPattern"]!.GetValue<string>()));
        Assert.Equal("String", Parameter(name)["Type"]!.GetValue<string>());
    }

    [Fact]
    public void The_parameters_default_to_a_single_account_deployment_and_the_member_templates_reader_role()
    {
        var member = CloudFormationYaml.Read(Path.Combine(RepositoryPaths.Root, "member.yaml"));

        Assert.All(new[] { "OrganizationId", "AuditRegions", "Accounts" }, name => Assert.Equal("", Parameter(name)["Default"]!.GetValue<string>()));
        Assert.Equal(member["Resources"]!["ReaderRole"]!["Properties"]!["RoleName"]!.GetValue<string>(), Parameter("MemberReaderRoleName")["Default"]!.GetValue<string>());
        Assert.Matches(member["Parameters"]!["OrganizationId"]!["AllowedPattern"]!.GetValue<string>(), Organization);
    }

    // "you can run PutPermission once specifying Principal as "*" and specifying the AWS organization ID in Condition, to
    // grant permissions to all accounts in that organization" (CloudFormation, AWS::Events::EventBusPolicy; EventBridge
    // User Guide, "Permissions for event buses in Amazon EventBridge"); "Currently the only supported key is
    // aws:PrincipalOrgID" (EventBridge API Reference, Condition).
    [Fact]
    public void Only_principals_of_the_organization_may_put_events_on_the_central_bus()
    {
        var policy = Properties("CentralEventBusPolicy", OrganizationMode());
        var statement = policy["Statement"]!;

        Assert.Equal(SamTemplate.StackName, policy["EventBusName"]!.GetValue<string>());
        Assert.Equal(policy["StatementId"]!.GetValue<string>(), statement["Sid"]!.GetValue<string>());
        Assert.Equal(("Allow", "*", "events:PutEvents", BusArn),
            (statement["Effect"]!.GetValue<string>(), statement["Principal"]!.GetValue<string>(), statement["Action"]!.GetValue<string>(), statement["Resource"]!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""{"StringEquals":{"aws:PrincipalOrgID":"{{{Organization}}}"}}"""), statement["Condition"]),
            $"The bus admits more than the organization: {statement["Condition"]?.ToJsonString()}");
        Assert.Equal(SamTemplate.StackName, Properties("CentralEventBus", OrganizationMode())["Name"]!.GetValue<string>());
    }

    // A rule listens on the bus named by EventBusName, the default bus when omitted (EventBridge API Reference, Rule;
    // SAM, EventBridgeRule EventBusName). Every account forwards to the central bus, this one too: each event once.
    [Fact]
    public void The_rules_listen_on_the_central_bus_in_organization_mode_and_on_the_default_bus_otherwise()
    {
        var rules = SamTemplate.Rules;

        Assert.Equal(5, rules.Count);
        foreach (var (name, rule) in rules)
        {
            Assert.True(SamTemplate.Resolve(rule, OrganizationMode())!["EventBusName"]?.GetValue<string>() == SamTemplate.StackName, $"{name} is not on the central bus.");
            Assert.Null(SamTemplate.Resolve(rule, SingleAccount)!["EventBusName"]);
        }
        Assert.Null(SamTemplate.Function["Events"]!["DailySweep"]!["Properties"]!["EventBusName"]);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("111122223333,444455556666", false)]
    public void The_organization_mode_policy_grants_exactly_the_calls_organization_mode_makes(string accounts, bool listsAccounts)
    {
        var policies = SamTemplate.FunctionPoliciesWith(("OrganizationId", Organization), ("Accounts", accounts));

        Assert.Equal(["audit-reads", "findings-store", "lambda-platform", "organization-mode", "publish-alerts"], policies.Keys.Order(StringComparer.Ordinal));
        var called = AwsActions.OrganizationMode.Where(o => listsAccounts || o != AwsActions.ListAccounts).Select(o => o.Action).Order(StringComparer.Ordinal);
        Assert.Equal(called, SamTemplate.Actions(policies["organization-mode"]).Order(StringComparer.Ordinal));
        Assert.All(policies.Values.SelectMany(SamTemplate.Actions), action => Assert.True(ActionCatalog.Default.TryGetAction(action, out _), $"{action} is not an IAM action"));
    }

    // aws:ResourceOrgID on sts:AssumeRole, the organization of the account that owns the role. Checked indirectly: AWS's
    // data perimeter examples (aws-samples/data-perimeter-policy-examples) apply it to every action in
    // resource_perimeter_scp.json and deny separately the actions the IAM User Guide's aws:ResourceOrgID section lists
    // as unsupported (ProtectActionsNotSupportedByPrimaryDPControls), sts:AssumeRole not among them; the EKS User
    // Guide's Pod Identity trust policy compares ${aws:ResourceOrgId} on sts:AssumeRole.
    [Fact]
    public void The_function_assumes_only_the_reader_role_in_accounts_of_the_organization_and_sends_only_to_its_queue()
    {
        var policy = SamTemplate.FunctionPoliciesWith(("OrganizationId", Organization))["organization-mode"];

        var assume = Statement(policy, "AssumeReaderRoleInMemberAccounts");
        Assert.Equal("arn:aws:iam::*:role/EcsRoleAuditorReader", assume["Resource"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""{"StringEquals":{"aws:ResourceOrgID":"{{{Organization}}}"}}"""), assume["Condition"]));
        var renamed = SamTemplate.FunctionPoliciesWith(("OrganizationId", Organization), ("MemberReaderRoleName", "AuditReader"))["organization-mode"];
        Assert.Equal("arn:aws:iam::*:role/AuditReader", Statement(renamed, "AssumeReaderRoleInMemberAccounts")["Resource"]!.GetValue<string>());
        Assert.Equal(QueueArn, Statement(policy, "SendSweepMessages")["Resource"]!.GetValue<string>());
        // ListAccounts takes no resource ARN: the organization is the caller's.
        Assert.Equal("*", Statement(policy, "ListOrganizationAccounts")["Resource"]!.GetValue<string>());
    }

    // SAM attaches AWSLambdaSQSQueueExecutionRole only to a role it generates ("CloudFormation resources generated when
    // AWS::Serverless::Function is specified": a role only when Role is not specified); this function has its own role,
    // so the mapping's polling is granted here, on the sweep queue only.
    [Fact]
    public void The_lambda_service_may_poll_the_sweep_queue_in_organization_mode_only()
    {
        var platform = SamTemplate.FunctionPoliciesWith(("OrganizationId", Organization))["lambda-platform"];

        var poll = Statement(platform, "PollSweepQueue");
        Assert.Equal(["sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"], Strings(poll["Action"]).Order(StringComparer.Ordinal));
        Assert.Equal(QueueArn, poll["Resource"]!.GetValue<string>());
        Assert.DoesNotContain(SamTemplate.FunctionPolicies["lambda-platform"]["Statement"]!.AsArray(), s => s!["Sid"]!.GetValue<string>() == "PollSweepQueue");
        Assert.Null(SamTemplate.Resource("FunctionRole")["Properties"]!["ManagedPolicyArns"]);
    }

    // "set the source queue's visibility timeout to at least six times the configuration timeout on your function"
    // (Lambda Developer Guide, "Creating and configuring an Amazon SQS event source mapping"): six times the longest
    // Timeout the parameter allows holds for every Timeout. SqsManagedSseEnabled: AWS::SQS::Queue.
    [Fact]
    public void A_sweep_message_outlasts_any_function_timeout_and_fails_into_its_own_encrypted_dead_letter_queue()
    {
        var queue = Properties("SweepQueue", OrganizationMode());
        var deadLetters = Properties("SweepDeadLetterQueue", OrganizationMode());

        Assert.True(queue["VisibilityTimeout"]!.GetValue<long>() >= 6 * Parameter("Timeout")["MaxValue"]!.GetValue<long>(),
            $"VisibilityTimeout {queue["VisibilityTimeout"]} is less than six times the longest function timeout.");
        Assert.Equal(DeadLetterQueueArn, queue["RedrivePolicy"]!["deadLetterTargetArn"]!.GetValue<string>());
        Assert.InRange(queue["RedrivePolicy"]!["maxReceiveCount"]!.GetValue<long>(), 2, 5);
        Assert.All(new[] { queue, deadLetters }, q =>
        {
            Assert.True(q["SqsManagedSseEnabled"]!.GetValue<bool>());
            Assert.Null(q["KmsMasterKeyId"]);
        });
        Assert.True(deadLetters["MessageRetentionPeriod"]!.GetValue<long>() > queue["MessageRetentionPeriod"]!.GetValue<long>());
    }

    // A parked sweep message is an account x region the sweep skipped: it alerts like a parked event does.
    [Fact]
    public void A_parked_sweep_message_raises_an_alarm_like_a_parked_event()
    {
        var alarm = SamTemplate.Resource("SweepDeadLetterQueueAlarm")["Properties"]!.DeepClone().AsObject();
        var events = SamTemplate.Resource("DeadLetterQueueAlarm")["Properties"]!.DeepClone().AsObject();

        Assert.Equal("SweepDeadLetterQueue", alarm["Dimensions"]![0]!["Value"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        Assert.Equal("DeadLetterQueue", events["Dimensions"]![0]!["Value"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        foreach (var differs in new[] { "AlarmDescription", "Dimensions" })
        {
            alarm.Remove(differs);
            events.Remove(differs);
        }
        Assert.True(JsonNode.DeepEquals(events, alarm), $"The sweep alarm differs from the dead-letter queue alarm: {alarm.ToJsonString()}");
    }

    [Fact]
    public void The_sweep_queues_refuse_requests_without_tls()
    {
        var policy = Properties("SweepQueuePolicy", OrganizationMode());
        var tls = Assert.Single(policy["PolicyDocument"]!["Statement"]!.AsArray())!;

        Assert.Equal(new[] { QueueArn, DeadLetterQueueArn }.Order(StringComparer.Ordinal), Strings(tls["Resource"]).Order(StringComparer.Ordinal));
        Assert.Equal(["SweepQueue", "SweepDeadLetterQueue"],
            SamTemplate.Resource("SweepQueuePolicy")["Properties"]!["Queues"]!.AsArray().Select(q => q!["Ref"]!.GetValue<string>()));
        Assert.Equal(("Deny", "*", "sqs:*"), (tls["Effect"]!.GetValue<string>(), tls["Principal"]!.GetValue<string>(), tls["Action"]!.GetValue<string>()));
        Assert.Equal("false", tls["Condition"]!["Bool"]!["aws:SecureTransport"]!.GetValue<string>());
    }

    // BatchSize 1: a message is one account x region sweep that may take the whole timeout. ReportBatchItemFailures:
    // the function answers {"batchItemFailures": [...]}. MaximumConcurrency: 2 to 1000 (Lambda API Reference,
    // ScalingConfig).
    [Fact]
    public void The_function_consumes_one_sweep_at_a_time_per_invocation_at_most_SweepConcurrency_at_once()
    {
        var mapping = SamTemplate.Resource("SweepQueueMapping");
        var properties = mapping["Properties"]!;

        Assert.Equal(("AWS::Lambda::EventSourceMapping", "OrganizationMode"), (mapping["Type"]!.GetValue<string>(), mapping["Condition"]!.GetValue<string>()));
        Assert.Equal("EcsRoleAuditorFunction", properties["FunctionName"]!["Ref"]!.GetValue<string>());
        Assert.Equal(QueueArn, SamTemplate.Resolve(properties["EventSourceArn"])!.GetValue<string>());
        Assert.Equal(1, properties["BatchSize"]!.GetValue<long>());
        Assert.Equal(["ReportBatchItemFailures"], Strings(properties["FunctionResponseTypes"]));
        Assert.Equal("SweepConcurrency", properties["ScalingConfig"]!["MaximumConcurrency"]!["Ref"]!.GetValue<string>());
        var concurrency = Parameter("SweepConcurrency");
        Assert.Equal(("Number", 2L, 1000L), (concurrency["Type"]!.GetValue<string>(), concurrency["MinValue"]!.GetValue<long>(), concurrency["MaxValue"]!.GetValue<long>()));
    }

    // Sweeps must leave some of the reserved concurrency to events. CloudFormation's rule functions compare strings
    // (Fn::Equals, Fn::Contains, Fn::EachMemberEquals, ...: "Rule functions"), so "SweepConcurrency < ReservedConcurrency"
    // cannot be asserted at deploy time: the defaults keep it and the parameter's description says it.
    [Fact]
    public void By_default_sweeps_leave_reserved_concurrency_to_events()
    {
        Assert.True(Parameter("SweepConcurrency")["Default"]!.GetValue<long>() < Parameter("ReservedConcurrency")["Default"]!.GetValue<long>());
        Assert.Contains("below ReservedConcurrency", Parameter("SweepConcurrency")["Description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_outputs_are_the_values_member_yaml_takes()
    {
        var member = CloudFormationYaml.Read(Path.Combine(RepositoryPaths.Root, "member.yaml"))["Parameters"]!;
        var outputs = SamTemplate.Root["Outputs"]!;

        foreach (var (output, parameter, source) in new[] { ("CentralEventBusArn", "CentralEventBusArn", "CentralEventBus"), ("FunctionRoleArn", "AuditorRoleArn", "FunctionRole") })
        {
            Assert.True(JsonNode.DeepEquals(new JsonObject { ["Fn::GetAtt"] = new JsonArray(source, "Arn") }, outputs[output]!["Value"]));
            Assert.Matches(member[parameter]!["AllowedPattern"]!.GetValue<string>(), SamTemplate.Resolve(outputs[output]!["Value"], OrganizationMode())!.GetValue<string>());
        }
    }
}
