using System.Text;
using System.Text.Json.Nodes;
using EcsRoleAuditor.Audit.Suppressions;
using EcsRoleAuditor.EventAudit.Events;
using EcsRoleAuditor.EventAudit.Tests.Handling;

namespace EcsRoleAuditor.EventAudit.Tests.Events;

/// <summary>
/// ECS TagResource and UntagResource as CloudTrail records them. The request shapes are the ECS API Reference's:
/// TagResource <c>{"resourceArn": "string", "tags": [{"key": "string", "value": "string"}]}</c>, UntagResource
/// <c>{"resourceArn": "string", "tagKeys": ["string"]}</c>, whose resourceArn may name "Amazon ECS capacity providers,
/// tasks, services, task definitions, clusters, and container instances"
/// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TagResource.html, API_UntagResource.html).
/// </summary>
public sealed class SuppressionTagEventTests
{
    private const string Sample = "tag-task-definition-suppress.json";

    private static AuditEvent Classify(Action<JsonNode> change)
    {
        var node = JsonNode.Parse(DemoAccount.Event(Sample))!;
        change(node["detail"]!);
        return EventClassifier.Classify(Encoding.UTF8.GetBytes(node.ToJsonString()));
    }

    private static void Untag(JsonNode detail, params string[] keys)
    {
        detail["eventName"] = "UntagResource";
        var request = detail["requestParameters"]!.AsObject();
        request.Remove("tags");
        request["tagKeys"] = new JsonArray([.. keys.Select(k => JsonValue.Create(k))]);
    }

    private static string IgnoredReason(AuditEvent classified) => Assert.IsType<AuditEvent.Ignored>(classified).Reason;

    [Fact]
    public void Adding_the_suppression_tag_to_a_revision_re_audits_its_family()
    {
        var changed = Assert.IsType<AuditEvent.SuppressionTagChanged>(EventClassifier.Classify(DemoAccount.Event(Sample)));

        Assert.Equal(("TagResource", "billing-worker"), (changed.EventName, changed.Family));
    }

    [Fact]
    public void The_suppression_tag_among_others_counts()
    {
        var changed = Classify(detail => detail["requestParameters"]!["tags"]!.AsArray().Insert(0, new JsonObject { ["key"] = "team", ["value"] = "billing" }));

        Assert.Equal("billing-worker", Assert.IsType<AuditEvent.SuppressionTagChanged>(changed).Family);
    }

    [Fact]
    public void Removing_the_suppression_tag_re_audits_the_family()
    {
        var changed = Assert.IsType<AuditEvent.SuppressionTagChanged>(Classify(detail => Untag(detail, "team", SuppressionRules.TagKey)));

        Assert.Equal(("UntagResource", "billing-worker"), (changed.EventName, changed.Family));
    }

    [Fact]
    public void A_revision_in_another_partition_names_its_family()
    {
        var changed = Classify(detail => detail["requestParameters"]!["resourceArn"] = "arn:aws-us-gov:ecs:us-gov-west-1:111122223333:task-definition/billing_worker-2:3");

        Assert.Equal("billing_worker-2", Assert.IsType<AuditEvent.SuppressionTagChanged>(changed).Family);
    }

    [Theory]
    [InlineData("team")]
    [InlineData("ECS-ROLE-AUDITOR:SUPPRESS")] // "Tag keys and values are case-sensitive" (ECS API Reference, TagResource).
    [InlineData("ecs-role-auditor:suppress ")]
    public void Tagging_only_other_keys_is_ignored(string key)
    {
        var reason = IgnoredReason(Classify(detail => detail["requestParameters"]!["tags"]![0]!["key"] = key));

        Assert.Contains("changes no ecs-role-auditor:suppress tag", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_suppression_key_as_a_tag_value_is_not_the_suppression_tag()
    {
        var reason = IgnoredReason(Classify(detail =>
        {
            detail["requestParameters"]!["tags"]![0]!["key"] = "note";
            detail["requestParameters"]!["tags"]![0]!["value"] = SuppressionRules.TagKey;
        }));

        Assert.Contains("changes no ecs-role-auditor:suppress tag", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Untagging_only_other_keys_is_ignored()
    {
        var reason = IgnoredReason(Classify(detail => Untag(detail, "team", "cost-centre")));

        Assert.Contains("changes no ecs-role-auditor:suppress tag", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:ecs:eu-west-1:111122223333:service/prod/billing-worker")]
    [InlineData("arn:aws:ecs:eu-west-1:111122223333:cluster/prod")]
    [InlineData("arn:aws:ecs:eu-west-1:111122223333:task/prod/0123456789abcdef0123456789abcdef")]
    [InlineData("arn:aws:ecs:eu-west-1:111122223333:capacity-provider/spot")]
    public void Tags_on_other_ecs_resources_are_ignored(string arn)
    {
        var reason = IgnoredReason(Classify(detail => detail["requestParameters"]!["resourceArn"] = arn));

        Assert.Contains("not a task definition", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("billing-worker:12")]
    [InlineData("arn:aws:iam::111122223333:role/billing-worker-task")]
    [InlineData("arn:aws:ecs:eu-west-1")]
    public void A_resource_that_is_no_ecs_arn_is_ignored(string resource)
    {
        var reason = IgnoredReason(Classify(detail => detail["requestParameters"]!["resourceArn"] = resource));

        Assert.Equal("requestParameters.resourceArn is not an ECS ARN", reason);
    }

    [Theory]
    [InlineData("arn:aws:ecs:eu-west-1:111122223333:task-definition/billing worker:12")]
    [InlineData("arn:aws:ecs:eu-west-1:111122223333:task-definition/billing-worker:0")]
    [InlineData("arn:aws:ecs:eu-west-1:11112222333:task-definition/billing-worker:12")]
    [InlineData("arn:aws-xx:ecs:eu-west-1:111122223333:task-definition/billing-worker:12")]
    public void A_task_definition_arn_ecs_would_not_accept_is_ignored_unquoted(string arn)
    {
        var reason = IgnoredReason(Classify(detail => detail["requestParameters"]!["resourceArn"] = arn));

        Assert.Equal(TaskDefinitionReference.InvalidReason, reason);
    }

    [Fact]
    public void A_huge_resource_arn_is_ignored_by_its_length()
    {
        var arn = "arn:aws:ecs:eu-west-1:111122223333:task-definition/" + new string('a', 100_000) + ":12";

        var reason = IgnoredReason(Classify(detail => detail["requestParameters"]!["resourceArn"] = arn));

        Assert.Equal("requestParameters.resourceArn is not an ECS ARN", reason);
        Assert.DoesNotContain("aaaa", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_tag_key_is_compared_in_place_and_not_quoted()
    {
        var reason = IgnoredReason(Classify(detail => detail["requestParameters"]!["tags"]![0]!["key"] = SuppressionRules.TagKey + new string('x', 200_000)));

        Assert.DoesNotContain("xxxx", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void More_tags_than_ecs_accepts_in_a_call_are_ignored()
    {
        var reason = IgnoredReason(Classify(detail =>
        {
            var tags = detail["requestParameters"]!["tags"]!.AsArray();
            for (var i = 0; i < EcsEventReader.MaxTags; i++)
            {
                tags.Add(new JsonObject { ["key"] = $"k{i}", ["value"] = "v" });
            }
        }));

        Assert.Equal($"requestParameters.tags is not a list of at most {EcsEventReader.MaxTags} tags", reason);
    }

    [Theory]
    [InlineData("TagResource", "tags", "\"ecs-role-auditor:suppress\"")]
    [InlineData("TagResource", "tags", "{\"key\": \"ecs-role-auditor:suppress\"}")]
    [InlineData("UntagResource", "tagKeys", "\"ecs-role-auditor:suppress\"")]
    [InlineData("UntagResource", "tagKeys", "{\"key\": \"ecs-role-auditor:suppress\"}")]
    public void Mistyped_tag_lists_are_ignored(string eventName, string field, string value)
    {
        var reason = IgnoredReason(Classify(detail =>
        {
            detail["eventName"] = eventName;
            var request = detail["requestParameters"]!.AsObject();
            request.Remove("tags");
            request[field] = JsonNode.Parse(value);
        }));

        Assert.StartsWith($"requestParameters.{field} is not a list", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TagResource", "tags")]
    [InlineData("UntagResource", "tagKeys")]
    public void A_call_with_no_tag_list_is_ignored(string eventName, string field)
    {
        var reason = IgnoredReason(Classify(detail =>
        {
            detail["eventName"] = eventName;
            detail["requestParameters"]!.AsObject().Remove("tags");
        }));

        Assert.StartsWith($"requestParameters.{field} is not a list", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Elements_that_are_not_tags_are_skipped_not_a_crash()
    {
        var changed = Classify(detail =>
            detail["requestParameters"]!["tags"] = JsonNode.Parse("""[7, null, "ecs-role-auditor:suppress", {"key": 5}, {"value": "x"}, {"key": "ecs-role-auditor:suppress", "value": "ERA020"}]"""));

        Assert.IsType<AuditEvent.SuppressionTagChanged>(changed);
        Assert.IsType<AuditEvent.Ignored>(Classify(detail => detail["requestParameters"]!["tags"] = JsonNode.Parse("""[7, {"key": 5}, {"value": "x"}]""")));
    }

    [Fact]
    public void A_tag_key_that_is_not_text_is_ignored_not_a_crash()
    {
        // "\ud800" is valid JSON but no text: comparing it must not throw, or Lambda would retry the event forever.
        var text = Encoding.UTF8.GetString(DemoAccount.Event(Sample));
        var payload = Encoding.UTF8.GetBytes(text.Replace("\"key\": \"ecs-role-auditor:suppress\"", "\"key\": \"\\ud800\"", StringComparison.Ordinal));
        Assert.NotEqual(text, Encoding.UTF8.GetString(payload));

        Assert.IsType<AuditEvent.Ignored>(EventClassifier.Classify(payload));
    }

    [Fact]
    public void A_call_naming_no_resource_is_ignored()
    {
        var reason = IgnoredReason(Classify(detail => detail["requestParameters"]!.AsObject().Remove("resourceArn")));

        Assert.Equal("the event names no resource (no requestParameters.resourceArn)", reason);
    }

    [Fact]
    public void A_failed_tag_call_changed_nothing()
    {
        var reason = IgnoredReason(Classify(detail => detail["errorCode"] = "AccessDeniedException"));

        Assert.Contains("AccessDeniedException", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TagRole")]
    [InlineData("UntagRole")]
    public void Any_role_tag_change_is_a_role_change(string eventName)
    {
        // Role tags decide aws:PrincipalTag conditions, not only suppressions: the key does not matter.
        var node = JsonNode.Parse(DemoAccount.Event("put-role-policy.json"))!;
        node["detail"]!["eventName"] = eventName;
        node["detail"]!["requestParameters"] = eventName == "TagRole"
            ? new JsonObject { ["roleName"] = "billing-worker-task", ["tags"] = new JsonArray(new JsonObject { ["key"] = "team", ["value"] = "billing" }) }
            : new JsonObject { ["roleName"] = "billing-worker-task", ["tagKeys"] = new JsonArray("team") };

        var changed = Assert.IsType<AuditEvent.RoleChanged>(EventClassifier.Classify(Encoding.UTF8.GetBytes(node.ToJsonString())));

        Assert.Equal((eventName, "billing-worker-task"), (changed.EventName, changed.RoleName));
    }
}
