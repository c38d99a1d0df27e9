using System.Text.Json.Nodes;

namespace EcsRoleAuditor.Lambda.Tests.Template;

/// <summary>
/// The resource policies of the alert topic, the dead-letter queue and the key. The policy engine evaluates identity
/// policies and boundaries, not resource policies, so these tests pin each statement's principal, actions and conditions.
/// </summary>
public sealed class ResourcePolicyTests
{
    private static readonly string TopicArn = $"arn:aws:sns:{SamTemplate.Region}:{SamTemplate.Account}:{SamTemplate.StackName}-AlertTopic-1ABCDEF";
    private static readonly string QueueArn = $"arn:aws:sqs:{SamTemplate.Region}:{SamTemplate.Account}:{SamTemplate.StackName}-DeadLetterQueue-1ABCDEF";
    private static readonly string FunctionRoleArn = $"arn:aws:iam::{SamTemplate.Account}:role/{SamTemplate.StackName}-FunctionRole-1ABCDEF";

    private static JsonObject TopicPolicy => Statements("AlertTopicPolicy");

    private static JsonObject QueuePolicy => Statements("DeadLetterQueuePolicy");

    // Statements by Sid as written (Ref, Fn::GetAtt, Fn::If); Text and Strings resolve a value for the example stack.
    private static JsonObject Statements(string logicalId) =>
        new(SamTemplate.Resource(logicalId)["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray()
            .Select(s => KeyValuePair.Create(s!["Sid"]!.GetValue<string>(), (JsonNode?)s.DeepClone())));

    private static string Text(JsonNode? node) => SamTemplate.Resolve(node)!.GetValue<string>();

    private static string[] Strings(JsonNode? node) =>
        SamTemplate.Resolve(node) is JsonArray list ? [.. list.Select(v => v!.GetValue<string>())] : [Text(node)];

    private static string[] GetAttTargets(JsonNode? node) =>
        [.. node!.AsArray().Select(v => $"{v!["Fn::GetAtt"]![0]}.{v["Fn::GetAtt"]![1]}")];

    // Each target with the condition it is listed under: !If [condition, !GetAtt ..., !Ref AWS::NoValue], or none.
    private static (string Target, string? Condition)[] ConditionalGetAttTargets(JsonNode? node) =>
        [.. node!.AsArray().Select(ConditionalGetAttTarget)];

    private static (string Target, string? Condition) ConditionalGetAttTarget(JsonNode? item)
    {
        if (item!["Fn::If"] is not JsonArray branches)
        {
            return (Assert.Single(GetAttTargets(new JsonArray(item.DeepClone()))), null);
        }
        Assert.Equal("AWS::NoValue", branches[2]!["Ref"]!.GetValue<string>());
        return (Assert.Single(GetAttTargets(new JsonArray(branches[1]!.DeepClone()))), branches[0]!.GetValue<string>());
    }

    // Both branches of a condition written as !If [HasAdminRoles, with admins, without].
    private static (JsonObject WithAdmins, JsonObject WithoutAdmins) AdminBranches(JsonNode? condition)
    {
        var branches = condition!["Fn::If"]!.AsArray();
        Assert.Equal("HasAdminRoles", branches[0]!.GetValue<string>());
        return (branches[1]!.AsObject(), branches[2]!.AsObject());
    }

    [Fact]
    public void Only_the_function_role_and_this_stacks_alarms_may_publish_alerts()
    {
        // SNS access policy examples, "Allow CloudWatch alarms to publish" with aws:SourceArn/aws:SourceAccount:
        // https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
        var policy = TopicPolicy;
        Assert.Equal("AlertTopic", SamTemplate.Resource("AlertTopicPolicy")["Properties"]!["Topics"]![0]!["Ref"]!.GetValue<string>());

        var function = policy["FunctionPublishesAlerts"]!;
        Assert.Equal("Allow", function["Effect"]!.GetValue<string>());
        Assert.Equal(FunctionRoleArn, Text(function["Principal"]!["AWS"]));
        Assert.Equal(["sns:Publish"], Strings(function["Action"]));
        Assert.Equal(TopicArn, Text(function["Resource"]));

        var alarms = policy["AlarmsOfThisStackPublish"]!;
        Assert.Equal("cloudwatch.amazonaws.com", alarms["Principal"]!["Service"]!.GetValue<string>());
        Assert.Equal(["sns:Publish"], Strings(alarms["Action"]));
        // An alarm that exists only under a condition (the sweep dead-letter queue's) is listed under that condition.
        var everyAlarm = SamTemplate.Resources.Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::CloudWatch::Alarm")
            .Select(r => (Target: $"{r.Key}.Arn", Condition: r.Value!["Condition"]?.GetValue<string>()));
        Assert.Equal(everyAlarm.OrderBy(a => a.Target, StringComparer.Ordinal),
            ConditionalGetAttTargets(alarms["Condition"]!["ArnEquals"]!["aws:SourceArn"]).OrderBy(a => a.Target, StringComparer.Ordinal));
        Assert.Equal(SamTemplate.Account, Text(alarms["Condition"]!["StringEquals"]!["aws:SourceAccount"]));

        // Identity policies (an admin's sns:*) cannot publish either; service principals have no aws:PrincipalArn.
        var others = policy["NoOtherPublisher"]!;
        Assert.Equal("Deny", others["Effect"]!.GetValue<string>());
        Assert.Equal("*", others["Principal"]!.GetValue<string>());
        Assert.Equal(["sns:Publish"], Strings(others["Action"]));
        Assert.Equal(FunctionRoleArn, Text(others["Condition"]!["ArnNotEquals"]!["aws:PrincipalArn"]));
        Assert.Equal("false", others["Condition"]!["Null"]!["aws:PrincipalArn"]!.GetValue<string>());
        Assert.Equal(["AlarmsOfThisStackPublish", "DenyWithoutTls", "FunctionPublishesAlerts", "NoOtherPublisher", "OnlyAdminsSubscribe"],
            policy.Select(s => s.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Only_admins_subscribe_to_the_alert_topic_and_nothing_reaches_it_without_tls()
    {
        var subscribe = TopicPolicy["OnlyAdminsSubscribe"]!;
        Assert.Equal("Deny", subscribe["Effect"]!.GetValue<string>());
        Assert.Equal("*", subscribe["Principal"]!.GetValue<string>());
        Assert.Equal(["sns:Subscribe"], Strings(subscribe["Action"]));
        var (withAdmins, withoutAdmins) = AdminBranches(subscribe["Condition"]);
        Assert.Equal("AdminRoleArns", withAdmins["ArnNotLike"]!["aws:PrincipalArn"]!["Ref"]!.GetValue<string>());
        Assert.Equal(SamTemplate.Account, Text(withoutAdmins["StringNotEquals"]!["aws:PrincipalAccount"]));
        // Only IAM principals are refused: a service subscribing on the deployer's behalf is judged by the deployer.
        Assert.All(new[] { withAdmins, withoutAdmins }, branch => Assert.Equal("false", branch["Null"]!["aws:PrincipalArn"]!.GetValue<string>()));

        // https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html#enforce-encryption-data-in-transit
        var tls = TopicPolicy["DenyWithoutTls"]!;
        Assert.Equal("Deny", tls["Effect"]!.GetValue<string>());
        Assert.Equal("*", tls["Principal"]!.GetValue<string>());
        Assert.Equal(["sns:*"], Strings(tls["Action"]));
        Assert.Equal(TopicArn, Text(tls["Resource"]));
        Assert.Equal("false", tls["Condition"]!["Bool"]!["aws:SecureTransport"]!.GetValue<string>());
    }

    [Fact]
    public void Only_this_stacks_rules_may_park_events_in_the_dead_letter_queue()
    {
        // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html#eb-dlq-perms: ArnEquals on the rule's
        // ARN. SAM names each event's rule <function logical ID><event name> and it is referenced by that logical ID:
        // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-function.html
        var send = QueuePolicy["EventBridgeRulesOfThisStack"]!;
        Assert.Equal("Allow", send["Effect"]!.GetValue<string>());
        Assert.Equal("events.amazonaws.com", send["Principal"]!["Service"]!.GetValue<string>());
        Assert.Equal(["sqs:SendMessage"], Strings(send["Action"]));
        Assert.Equal(QueueArn, Text(send["Resource"]));
        var rulesUsingTheQueue = SamTemplate.Function["Events"]!.AsObject()
            .Where(e => e.Value!["Properties"]!["DeadLetterConfig"]?["Arn"]?["Fn::GetAtt"]?[0]?.GetValue<string>() == "DeadLetterQueue")
            .Select(e => $"EcsRoleAuditorFunction{e.Key}.Arn");
        Assert.Equal(rulesUsingTheQueue.Order(StringComparer.Ordinal), GetAttTargets(send["Condition"]!["ArnEquals"]!["aws:SourceArn"]).Order(StringComparer.Ordinal));
        Assert.Equal(["ArnEquals"], send["Condition"]!.AsObject().Select(c => c.Key));
    }

    [Fact]
    public void Only_admins_may_receive_delete_or_purge_parked_events_and_only_over_tls()
    {
        var read = QueuePolicy["OnlyAdminsReadParkedEvents"]!;
        Assert.Equal("Deny", read["Effect"]!.GetValue<string>());
        Assert.Equal("*", read["Principal"]!.GetValue<string>());
        Assert.Equal(["sqs:DeleteMessage", "sqs:PurgeQueue", "sqs:ReceiveMessage"], Strings(read["Action"]).Order(StringComparer.Ordinal));
        Assert.Equal(QueueArn, Text(read["Resource"]));
        var (withAdmins, withoutAdmins) = AdminBranches(read["Condition"]);
        Assert.Equal("AdminRoleArns", withAdmins["ArnNotLike"]!["aws:PrincipalArn"]!["Ref"]!.GetValue<string>());
        Assert.Equal(SamTemplate.Account, Text(withoutAdmins["StringNotEquals"]!["aws:PrincipalAccount"]));

        var tls = QueuePolicy["DenyWithoutTls"]!;
        Assert.Equal(["sqs:*"], Strings(tls["Action"]));
        Assert.Equal("false", tls["Condition"]!["Bool"]!["aws:SecureTransport"]!.GetValue<string>());
        Assert.Equal(["DenyWithoutTls", "EventBridgeRulesOfThisStack", "OnlyAdminsReadParkedEvents"], QueuePolicy.Select(s => s.Key).Order(StringComparer.Ordinal));

        var admins = SamTemplate.Root["Parameters"]!["AdminRoleArns"]!;
        Assert.Equal("CommaDelimitedList", admins["Type"]!.GetValue<string>());
        Assert.Equal("", admins["Default"]!.GetValue<string>());
    }

    [Fact]
    public void The_dead_letter_queue_is_encrypted_with_the_stacks_key_which_eventbridge_and_the_function_use_for_queues_only()
    {
        var queue = SamTemplate.Resource("DeadLetterQueue")["Properties"]!;
        Assert.Equal("AlertKey", queue["KmsMasterKeyId"]!["Ref"]!.GetValue<string>());
        Assert.Null(queue["SqsManagedSseEnabled"]);

        // "If your target, such as an Amazon SQS queue, uses AWS KMS encryption": events.amazonaws.com kms:Decrypt and
        // kms:GenerateDataKey (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html), for this account's queues.
        var keyPolicy = SamTemplate.Resolve(SamTemplate.Resource("AlertKey")["Properties"]!["KeyPolicy"])!;
        var events = Assert.Single(keyPolicy["Statement"]!.AsArray(), s => s!["Sid"]!.GetValue<string>() == "EventBridgeParksEventsInTheQueue")!;
        Assert.Equal("events.amazonaws.com", events["Principal"]!["Service"]!.GetValue<string>());
        Assert.Equal(["kms:Decrypt", "kms:GenerateDataKey"], Strings(events["Action"]).Order(StringComparer.Ordinal));
        Assert.Null(events["Condition"]!["StringEquals"]);
        Assert.Equal($"arn:aws:sqs:{SamTemplate.Region}:{SamTemplate.Account}:*", events["Condition"]!["StringLike"]!["kms:EncryptionContext:aws:sqs:arn"]!.GetValue<string>());

        // Lambda parks failed asynchronous invocations with the function's role: it needs the key too, for this queue only.
        var function = Assert.Single(SamTemplate.FunctionPolicies["lambda-platform"]["Statement"]!.AsArray(), s => s!["Sid"]!.GetValue<string>() == "EncryptParkedEvents")!;
        Assert.Equal(["kms:Decrypt", "kms:GenerateDataKey"], Strings(function["Action"]).Order(StringComparer.Ordinal));
        Assert.StartsWith($"arn:aws:kms:{SamTemplate.Region}:{SamTemplate.Account}:key/", function["Resource"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal($"sqs.{SamTemplate.Region}.amazonaws.com", function["Condition"]!["StringEquals"]!["kms:ViaService"]!.GetValue<string>());
        Assert.Equal(QueueArn, function["Condition"]!["StringEquals"]!["kms:EncryptionContext:aws:sqs:arn"]!.GetValue<string>());
    }

    [Fact]
    public void Reserved_concurrency_is_a_parameter_with_a_small_default_and_an_off_switch()
    {
        var parameter = SamTemplate.Root["Parameters"]!["ReservedConcurrency"]!;
        Assert.Equal("Number", parameter["Type"]!.GetValue<string>());
        Assert.InRange(parameter["Default"]!.GetValue<long>(), 1, 10);
        Assert.Equal(-1, parameter["MinValue"]!.GetValue<long>());

        var reserved = SamTemplate.Function["ReservedConcurrentExecutions"]!["Fn::If"]!.AsArray();
        Assert.Equal("HasReservedConcurrency", reserved[0]!.GetValue<string>());
        Assert.Equal("ReservedConcurrency", reserved[1]!["Ref"]!.GetValue<string>());
        Assert.Equal("AWS::NoValue", reserved[2]!["Ref"]!.GetValue<string>());
        // 0 would throttle every invocation (Lambda's meaning); here 0 and -1 both mean "no reservation".
        var off = SamTemplate.Root["Conditions"]!["HasReservedConcurrency"]!["Fn::Not"]![0]!["Fn::Or"]!.AsArray()
            .Select(e => (e!["Fn::Equals"]![0]!["Ref"]!.GetValue<string>(), e["Fn::Equals"]![1]!.GetValue<string>()));
        Assert.Equal([("ReservedConcurrency", "0"), ("ReservedConcurrency", "-1")], off);
    }
}
