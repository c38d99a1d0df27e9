using EcsRoleAuditor.TestData;
using System.Text.Json.Nodes;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.EventAudit.Configuration;
using EcsRoleAuditor.EventAudit.Events;
using EcsRoleAuditor.EventAudit.Handling;
using EcsRoleAuditor.Lambda.Observability;
using EcsRoleAuditor.Policy.Catalog;

namespace EcsRoleAuditor.Lambda.Tests.Template;

public sealed class TemplateTests
{
    // Which sample events each rule must match; every other sample must match no rule.
    private static readonly Dictionary<string, string[]> RuleSamples = new(StringComparer.Ordinal)
    {
        ["TaskDefinitionRegistered"] = ["register-task-definition-clean.json", "register-task-definition-truncated.json", "register-task-definition-violating.json"],
        ["TaskDefinitionDeregistered"] = ["deregister-task-definition.json"],
        ["TaskStartedWithRoleOverrides"] = ["run-task-with-role-overrides.json"],
        ["SuppressionTagChanged"] = ["tag-task-definition-suppress.json"],
        ["IamRoleChanged"] = ["attach-role-policy.json", "put-role-policy.json"],
    };

    [Fact]
    public void The_function_is_a_provided_al2023_bootstrap_built_by_the_makefile()
    {
        var function = SamTemplate.Resource("EcsRoleAuditorFunction");

        Assert.Equal("AWS::Serverless-2016-10-31", SamTemplate.Root["Transform"]!.GetValue<string>());
        Assert.Equal("makefile", function["Metadata"]!["BuildMethod"]!.GetValue<string>());
        Assert.Equal("provided.al2023", SamTemplate.Function["Runtime"]!.GetValue<string>());
        Assert.Equal("bootstrap", SamTemplate.Function["Handler"]!.GetValue<string>());
        Assert.Equal("Architecture", SamTemplate.Function["Architectures"]![0]!["Ref"]!.GetValue<string>());
        var architecture = SamTemplate.Root["Parameters"]!["Architecture"]!;
        Assert.Equal("x86_64", architecture["Default"]!.GetValue<string>());
        Assert.Equal(["x86_64", "arm64"], architecture["AllowedValues"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("MemorySize", SamTemplate.Function["MemorySize"]!["Ref"]!.GetValue<string>());
        Assert.Equal("Timeout", SamTemplate.Function["Timeout"]!["Ref"]!.GetValue<string>());
    }

    [Fact]
    public void The_environment_sets_exactly_the_variables_the_function_reads()
    {
        var variables = SamTemplate.Function["Environment"]!["Variables"]!.AsObject().Select(v => v.Key).Order(StringComparer.Ordinal);

        Assert.Equal(new[]
        {
            SettingsReader.AlertTopicArn, SettingsReader.LogLevel, SettingsReader.MinSeverity, SettingsReader.Suppressions, SettingsReader.SweepAllRevisions,
            SettingsReader.StateTable, SettingsReader.HistoryDays, SettingsReader.RemindAfterDays, SettingsReader.SecurityHub,
        }.Concat(OrganizationModeTests.Variables).Order(StringComparer.Ordinal), variables);
    }

    // sam local invoke takes each variable from env.json when it names it, else from the template, where STATE_TABLE is a
    // Ref that means nothing on a laptop: the local environment names every variable, the store empty (stateless).
    [Fact]
    public void The_local_environment_names_every_variable_of_the_template_and_runs_without_the_store()
    {
        using var env = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(TestData.RepositoryPaths.Root, "events", "env.json")));
        var local = env.RootElement.GetProperty("EcsRoleAuditorFunction");

        Assert.Equal(SamTemplate.Function["Environment"]!["Variables"]!.AsObject().Select(v => v.Key).Order(StringComparer.Ordinal),
            local.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("", local.GetProperty(SettingsReader.StateTable).GetString());
    }

    [Theory]
    [InlineData("HistoryDays", 1, SettingsReader.MaxHistoryDays, State.StoreRules.DefaultHistoryDays)]
    [InlineData("RemindAfterDays", 0, 365, 0)]
    public void The_findings_store_parameters_allow_what_the_function_accepts_and_default_as_it_does(string name, int min, int max, int fallback)
    {
        var parameter = SamTemplate.Root["Parameters"]![name]!;

        Assert.Equal(((long)min, (long)max, (long)fallback), (parameter["MinValue"]!.GetValue<long>(), parameter["MaxValue"]!.GetValue<long>(), parameter["Default"]!.GetValue<long>()));
    }

    [Fact]
    public void Each_rule_matches_its_sample_events_and_no_others()
    {
        var rules = SamTemplate.Rules;
        Assert.Equal(RuleSamples.Keys.Order(StringComparer.Ordinal), rules.Keys.Order(StringComparer.Ordinal));
        foreach (var sample in SampleEvents.Names)
        {
            var @event = JsonNode.Parse(SampleEvents.Read(sample));
            var matching = rules.Where(r => EventPattern.Matches(r.Value["Pattern"]!.AsObject(), @event)).Select(r => r.Key);
            var expected = RuleSamples.Where(r => r.Value.Contains(sample)).Select(r => r.Key);
            Assert.True(expected.SequenceEqual(matching), $"{sample}: expected [{string.Join(", ", expected)}], matched by [{string.Join(", ", matching)}]");
        }
    }

    [Fact]
    public void A_run_task_without_role_overrides_does_not_invoke_the_function()
    {
        var @event = JsonNode.Parse(SampleEvents.Read("run-task-with-role-overrides.json"))!;
        @event["detail"]!["requestParameters"]!["overrides"]!.AsObject().Remove("taskRoleArn");

        Assert.DoesNotContain(SamTemplate.Rules.Values, rule => EventPattern.Matches(rule["Pattern"]!.AsObject(), @event));
    }

    // A call that failed carries errorCode (CloudTrail User Guide, "CloudTrail record contents for management, data,
    // and network activity events"): a deregistration that failed left the revision ACTIVE.
    [Fact]
    public void A_failed_deregistration_does_not_invoke_the_function()
    {
        var @event = JsonNode.Parse(SampleEvents.Read("deregister-task-definition.json"))!;
        @event["detail"]!["errorCode"] = "ClientException";

        Assert.True(EventPattern.Matches(SamTemplate.Rules["TaskDefinitionDeregistered"]["Pattern"]!.AsObject(), JsonNode.Parse(SampleEvents.Read("deregister-task-definition.json"))));
        Assert.DoesNotContain(SamTemplate.Rules.Values, rule => EventPattern.Matches(rule["Pattern"]!.AsObject(), @event));
    }

    // The sample TagResource changed one way at a time: the rule must let through what the handler acts on (the
    // suppression tag added or removed on a task definition) and nothing it would only ignore.
    public static TheoryData<string, bool> SuppressionTagVariants => new()
    {
        { "as recorded", true },
        { "other tags besides", true },
        { "untag the key", true },
        { "untag other keys", false },
        { "only other tags", false },
        { "the key as a value", false },
        { "a service", false },
        { "a cluster", false },
        { "another partition", true },
        { "failed", false },
    };

    [Theory]
    [MemberData(nameof(SuppressionTagVariants))]
    public void The_suppression_tag_rule_matches_the_suppression_tag_on_task_definitions_only(string variant, bool matches)
    {
        var @event = JsonNode.Parse(SampleEvents.Read("tag-task-definition-suppress.json"))!;
        var detail = @event["detail"]!;
        var request = detail["requestParameters"]!;
        switch (variant)
        {
            case "other tags besides":
                request["tags"]!.AsArray().Insert(0, new JsonObject { ["key"] = "team", ["value"] = "billing" });
                break;
            case "untag the key":
                detail["eventName"] = "UntagResource";
                request.AsObject().Remove("tags");
                request["tagKeys"] = new JsonArray("team", "ecs-role-auditor:suppress");
                break;
            case "untag other keys":
                detail["eventName"] = "UntagResource";
                request.AsObject().Remove("tags");
                request["tagKeys"] = new JsonArray("team");
                break;
            case "only other tags":
                request["tags"]![0]!["key"] = "team";
                break;
            case "the key as a value":
                request["tags"]![0]!["key"] = "note";
                request["tags"]![0]!["value"] = "ecs-role-auditor:suppress";
                break;
            case "a service":
                request["resourceArn"] = "arn:aws:ecs:eu-west-1:111122223333:service/prod/billing-worker";
                break;
            case "a cluster":
                request["resourceArn"] = "arn:aws:ecs:eu-west-1:111122223333:cluster/task-definition";
                break;
            case "another partition":
                request["resourceArn"] = "arn:aws-cn:ecs:cn-north-1:111122223333:task-definition/billing-worker:12";
                break;
            case "failed":
                detail["errorCode"] = "AccessDeniedException";
                break;
        }

        Assert.Equal(matches, EventPattern.Matches(SamTemplate.Rules["SuppressionTagChanged"]["Pattern"]!.AsObject(), @event));
        Assert.DoesNotContain(SamTemplate.Rules.Where(r => r.Key != "SuppressionTagChanged"), r => EventPattern.Matches(r.Value["Pattern"]!.AsObject(), @event));
    }

    [Fact]
    public void The_rules_listen_for_exactly_the_events_the_handler_acts_on()
    {
        string[] EventNames(string rule) => [.. SamTemplate.Rules[rule]["Pattern"]!["detail"]!["eventName"]!.AsArray().Select(n => n!.GetValue<string>())];

        Assert.Equal([HandledEventNames.RegisterTaskDefinition], EventNames("TaskDefinitionRegistered"));
        Assert.Equal([HandledEventNames.DeregisterTaskDefinition], EventNames("TaskDefinitionDeregistered"));
        Assert.Equal(HandledEventNames.TaskStarts, EventNames("TaskStartedWithRoleOverrides"));
        Assert.Equal(HandledEventNames.TagChanges, EventNames("SuppressionTagChanged"));
        Assert.Equal([.. HandledEventNames.RoleChanges, .. HandledEventNames.ManagedPolicyChanges], EventNames("IamRoleChanged"));
    }

    [Fact]
    public void Every_event_source_retries_and_dead_letters_to_a_queue_eventbridge_may_write_to()
    {
        foreach (var (name, properties) in SamTemplate.Function["Events"]!.AsObject().Select(e => (e.Key, e.Value!["Properties"]!)))
        {
            Assert.True(properties["RetryPolicy"]!["MaximumRetryAttempts"]!.GetValue<long>() > 0, name);
            Assert.Equal("DeadLetterQueue", properties["DeadLetterConfig"]!["Arn"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        }
        var schedule = SamTemplate.Function["Events"]!["DailySweep"]!;
        Assert.Equal("Schedule", schedule["Type"]!.GetValue<string>());
        Assert.Equal("SweepState", schedule["Properties"]!["State"]!["Ref"]!.GetValue<string>());
        // Which rules may write to the queue: ResourcePolicyTests.Only_this_stacks_rules_may_park_events_in_the_dead_letter_queue.
        Assert.Equal("DeadLetterQueue", SamTemplate.Resource("DeadLetterQueuePolicy")["Properties"]!["Queues"]![0]!["Ref"]!.GetValue<string>());
        Assert.Equal("DeadLetterQueue", SamTemplate.Function["DeadLetterQueue"]!["TargetArn"]!["Fn::GetAtt"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Every_action_in_the_function_policy_exists_in_the_catalog()
    {
        var actions = SamTemplate.FunctionPolicies.Values.SelectMany(SamTemplate.Actions).ToList();

        Assert.NotEmpty(actions);
        Assert.All(actions, action => Assert.True(ActionCatalog.Default.TryGetAction(action, out _), $"{action} is not an IAM action"));
    }

    // The table is encrypted with the stack's key, which DynamoDB uses with the caller's permissions: AWS's key policy
    // statement for principals that use DynamoDB tables, less kms:CreateGrant (creating the table is CloudFormation's).
    // "How Amazon DynamoDB uses AWS KMS": https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html
    private static readonly string[] EncryptedTableUse = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:ReEncryptTo"];

    [Fact]
    public void The_function_may_call_exactly_the_aws_apis_the_code_calls()
    {
        var policies = SamTemplate.FunctionPolicies;

        Assert.Equal(["audit-reads", "findings-store", "lambda-platform", "publish-alerts"], policies.Keys.Order(StringComparer.Ordinal));
        var codeActions = SamTemplate.Actions(policies["audit-reads"]).Concat(SamTemplate.Actions(policies["publish-alerts"]));
        // Publishing to the topic, encrypted with the stack's key, needs the key through SNS besides sns:Publish.
        string[] encryptedTopicPublish = ["kms:GenerateDataKey", "kms:Decrypt"];
        var called = AwsActions.All.Where(o => o.Service != "dynamodb").Select(o => o.Action).Concat(encryptedTopicPublish).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        Assert.Equal(called, codeActions.Order(StringComparer.Ordinal));
        // The findings store's calls, and the key they need through DynamoDB.
        var storeCalls = AwsActions.All.Where(o => o.Service == "dynamodb").Select(o => o.Action).Concat(EncryptedTableUse).Order(StringComparer.Ordinal);
        Assert.Equal(storeCalls, SamTemplate.Actions(policies["findings-store"]).Order(StringComparer.Ordinal));
        // What the Lambda service itself does with the role: write the log group, park failed events in the queue.
        // The queue is encrypted with the stack's key, so parking needs the key through SQS too.
        Assert.Equal(["kms:Decrypt", "kms:GenerateDataKey", "logs:CreateLogStream", "logs:PutLogEvents", "sqs:SendMessage"], SamTemplate.Actions(policies["lambda-platform"]).Order(StringComparer.Ordinal));
        Assert.Null(SamTemplate.Resource("FunctionRole")["Properties"]!["ManagedPolicyArns"]);
    }

    [Fact]
    public void Without_the_findings_store_the_function_has_no_dynamodb_permission_and_no_table()
    {
        var policies = SamTemplate.FunctionPoliciesWith(("FindingsStore", "DISABLED"));

        Assert.Equal(["audit-reads", "lambda-platform", "publish-alerts"], policies.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(policies.Values.SelectMany(SamTemplate.Actions), a => a.StartsWith("dynamodb:", StringComparison.Ordinal));
        Assert.False(SamTemplate.Holds("HasFindingsStore", new Dictionary<string, string> { ["FindingsStore"] = "DISABLED" }));
        Assert.Equal("HasFindingsStore", SamTemplate.Resource("StateTable")["Condition"]!.GetValue<string>());
        Assert.Equal("HasFindingsStore", SamTemplate.Root["Outputs"]!["StateTableName"]!["Condition"]!.GetValue<string>());
        var stateTable = SamTemplate.Function["Environment"]!["Variables"]!["STATE_TABLE"]!["Fn::If"]!.AsArray();
        Assert.Equal(("HasFindingsStore", "StateTable", ""), (stateTable[0]!.GetValue<string>(), stateTable[1]!["Ref"]!.GetValue<string>(), stateTable[2]!.GetValue<string>()));
    }

    // BatchImportFindings: a customer's own findings go under the account's default product only; GetFindings and
    // BatchUpdateFindings act on the hub ("Actions, resources, and condition keys for AWS Security Hub", Service
    // Authorization Reference: product and hub resource types).
    [Fact]
    public void With_SecurityHub_the_function_may_make_exactly_the_Security_Hub_calls_on_its_own_product_and_hub()
    {
        Assert.DoesNotContain("security-hub", SamTemplate.FunctionPolicies.Keys); // DISABLED by default
        Assert.Equal("false", SamTemplate.Resolve(SamTemplate.Function["Environment"]!["Variables"]!["SECURITY_HUB"])!.GetValue<string>());

        var enabled = new Dictionary<string, string> { ["SecurityHub"] = "ENABLED" };
        var policy = SamTemplate.FunctionPoliciesWith(("SecurityHub", "ENABLED"))["security-hub"];

        Assert.Equal("true", SamTemplate.Resolve(SamTemplate.Function["Environment"]!["Variables"]!["SECURITY_HUB"], enabled)!.GetValue<string>());
        Assert.Equal(AwsActions.SecurityHub.Select(o => o.Action).Order(StringComparer.Ordinal), SamTemplate.Actions(policy).Order(StringComparer.Ordinal));
        Assert.Equal(
            [$"arn:aws:securityhub:{SamTemplate.Region}:{SamTemplate.Account}:product/{SamTemplate.Account}/default", $"arn:aws:securityhub:{SamTemplate.Region}:{SamTemplate.Account}:hub/default"],
            policy["Statement"]!.AsArray().Select(s => s!["Resource"]!.GetValue<string>()));
        // Organization mode audits the central account in every region of AuditRegions with the function's own role.
        var organization = SamTemplate.FunctionPoliciesWith(("SecurityHub", "ENABLED"), ("OrganizationId", "o-a1b2c3d4e5"))["security-hub"];
        Assert.All(organization["Statement"]!.AsArray(), s => Assert.StartsWith("arn:aws:securityhub:*:", s!["Resource"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public void The_findings_store_is_limited_to_its_table_its_indexes_and_the_stacks_key_through_dynamodb()
    {
        var statements = SamTemplate.FunctionPolicies["findings-store"]["Statement"]!.AsArray();

        var table = $"arn:aws:dynamodb:{SamTemplate.Region}:{SamTemplate.Account}:table/{SamTemplate.StackName}-StateTable-1ABCDEF";
        Assert.Equal([table, table + "/index/*"], statements[0]!["Resource"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.StartsWith($"arn:aws:kms:{SamTemplate.Region}:{SamTemplate.Account}:key/", statements[1]!["Resource"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal($"dynamodb.{SamTemplate.Region}.amazonaws.com", statements[1]!["Condition"]!["StringEquals"]!["kms:ViaService"]!.GetValue<string>());
    }

    [Fact]
    public void The_findings_table_is_kept_encrypted_with_the_stacks_key_recoverable_and_expiring()
    {
        var table = SamTemplate.Resource("StateTable");
        var properties = table["Properties"]!;

        Assert.Equal(("AWS::DynamoDB::Table", "Retain", "Retain"), (table["Type"]!.GetValue<string>(), table["DeletionPolicy"]!.GetValue<string>(), table["UpdateReplacePolicy"]!.GetValue<string>()));
        Assert.Equal("PAY_PER_REQUEST", properties["BillingMode"]!.GetValue<string>());
        Assert.True(properties["PointInTimeRecoverySpecification"]!["PointInTimeRecoveryEnabled"]!.GetValue<bool>());
        Assert.Equal((true, "KMS", "AlertKey"), (properties["SSESpecification"]!["SSEEnabled"]!.GetValue<bool>(), properties["SSESpecification"]!["SSEType"]!.GetValue<string>(), properties["SSESpecification"]!["KMSMasterKeyId"]!["Ref"]!.GetValue<string>()));
        Assert.Equal(("expiresAt", true), (properties["TimeToLiveSpecification"]!["AttributeName"]!.GetValue<string>(), properties["TimeToLiveSpecification"]!["Enabled"]!.GetValue<bool>()));
    }

    [Fact]
    public void Publishing_is_limited_to_the_stacks_own_topic_and_key()
    {
        var statements = SamTemplate.FunctionPolicies["publish-alerts"]["Statement"]!.AsArray();

        Assert.Equal($"arn:aws:sns:{SamTemplate.Region}:{SamTemplate.Account}:{SamTemplate.StackName}-AlertTopic-1ABCDEF", statements[0]!["Resource"]!.GetValue<string>());
        Assert.StartsWith($"arn:aws:kms:{SamTemplate.Region}:{SamTemplate.Account}:key/", statements[1]!["Resource"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("AlertKey", SamTemplate.Resource("AlertTopic")["Properties"]!["KmsMasterKeyId"]!["Ref"]!.GetValue<string>());
    }

    [Fact]
    public void Optional_email_and_slack_are_wired_with_their_conditions()
    {
        var email = SamTemplate.Resource("AlertEmailSubscription");
        Assert.Equal("HasAlertEmail", email["Condition"]!.GetValue<string>());
        Assert.Equal("EmailSeverities", email["Properties"]!["FilterPolicy"]!["severity"]!["Ref"]!.GetValue<string>());
        var slack = SamTemplate.Resource("SlackChannel");
        Assert.Equal("AWS::Chatbot::SlackChannelConfiguration", slack["Type"]!.GetValue<string>());
        Assert.Equal("HasSlack", slack["Condition"]!.GetValue<string>());
        Assert.NotNull(slack["Properties"]!["GuardrailPolicies"]);
        Assert.Equal(["AuditIncompleteAlarm", "DeadLetterQueueAlarm", "FindingsStoreAlarm", "FunctionErrorsAlarm", "SweepDeadLetterQueueAlarm"], SamTemplate.Resources.Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::CloudWatch::Alarm").Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Equal("LogRetentionDays", SamTemplate.Resource("FunctionLogGroup")["Properties"]!["RetentionInDays"]!["Ref"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("AuditIncompleteAlarm", nameof(AuditMetrics.AuditIncomplete))]
    [InlineData("FindingsStoreAlarm", EmbeddedMetricsWriter.FindingsStoreErrors)]
    public void The_metric_alarms_watch_the_metrics_the_function_writes_and_alert_like_the_others(string name, string metric)
    {
        var alarm = SamTemplate.Resource(name)["Properties"]!;

        // The metric as EmbeddedMetricsWriter writes it: the function's namespace, no dimensions.
        Assert.Equal(EmbeddedMetricsWriter.DefaultNamespace, alarm["Namespace"]!.GetValue<string>());
        Assert.Equal(metric, alarm["MetricName"]!.GetValue<string>());
        Assert.Null(alarm["Dimensions"]);
        // Any incomplete audit in a period breaches: one unreadable role is already a gap in the audit.
        Assert.Equal("Sum", alarm["Statistic"]!.GetValue<string>());
        Assert.Equal(1, alarm["Threshold"]!.GetValue<long>());
        Assert.Equal("GreaterThanOrEqualToThreshold", alarm["ComparisonOperator"]!.GetValue<string>());
        Assert.Equal("notBreaching", alarm["TreatMissingData"]!.GetValue<string>());
        var functionErrors = SamTemplate.Resource("FunctionErrorsAlarm")["Properties"]!;
        Assert.True(JsonNode.DeepEquals(functionErrors["AlarmActions"], alarm["AlarmActions"]));
        Assert.Equal("AlertTopic", alarm["AlarmActions"]![0]!["Ref"]!.GetValue<string>());
        Assert.Equal(functionErrors["Period"]!.GetValue<long>(), alarm["Period"]!.GetValue<long>());
    }
}
