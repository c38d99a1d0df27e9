using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using EcsRoleAuditor.EventAudit.Events;
using EcsRoleAuditor.EventAudit.Tests.Handling;

namespace EcsRoleAuditor.EventAudit.Tests.Events;

public sealed class EventClassifierTests
{
    private static AuditEvent Classify(string sample) => EventClassifier.Classify(DemoAccount.Event(sample));

    private static AuditEvent Classify(JsonNode node) => EventClassifier.Classify(Encoding.UTF8.GetBytes(node.ToJsonString()));

    [Fact]
    public void Registration_carries_the_task_definition_from_the_response_elements()
    {
        var registered = Assert.IsType<AuditEvent.TaskDefinitionRegistered>(Classify("register-task-definition-violating.json"));

        Assert.Equal("arn:aws:ecs:eu-west-1:111122223333:task-definition/billing-worker:12", registered.Reference);
        Assert.Equal("billing-worker", registered.Definition!.Family);
        Assert.Equal(12, registered.Definition.Revision);
        Assert.Equal("arn:aws:iam::111122223333:role/billing-worker-execution", registered.Definition.ExecutionRoleArn);
    }

    [Fact]
    public void Registration_without_response_elements_falls_back_to_the_family()
    {
        var registered = Assert.IsType<AuditEvent.TaskDefinitionRegistered>(Classify("register-task-definition-truncated.json"));

        Assert.Null(registered.Definition);
        Assert.Equal("legacy-reports", registered.Reference);
    }

    [Fact]
    public void Registration_with_a_cut_task_definition_falls_back_to_describing_its_arn()
    {
        var sample = JsonNode.Parse(DemoAccount.Event("register-task-definition-violating.json"))!;
        sample["detail"]!["responseElements"]!["taskDefinition"]!["containerDefinitions"] = "[truncated]";

        var registered = Assert.IsType<AuditEvent.TaskDefinitionRegistered>(Classify(sample));

        Assert.Null(registered.Definition);
        Assert.Equal("arn:aws:ecs:eu-west-1:111122223333:task-definition/billing-worker:12", registered.Reference);
    }

    [Fact]
    public void Failed_calls_are_ignored_naming_the_error_code()
    {
        var ignored = Assert.IsType<AuditEvent.Ignored>(Classify("register-task-definition-failed.json"));

        Assert.Equal("RegisterTaskDefinition", ignored.EventName);
        Assert.Contains("AccessDenied", ignored.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_task_names_the_revision_that_ran_and_the_role_overrides()
    {
        var started = Assert.IsType<AuditEvent.TaskStartedWithRoleOverrides>(Classify("run-task-with-role-overrides.json"));

        Assert.Equal("RunTask", started.Name);
        Assert.Equal("arn:aws:ecs:eu-west-1:111122223333:task-definition/orders-api:7", started.TaskDefinition);
        Assert.Equal("arn:aws:iam::111122223333:role/legacy-reports", started.TaskRoleOverride);
        Assert.Null(started.ExecutionRoleOverride);
    }

    [Fact]
    public void Run_task_without_role_overrides_is_ignored()
    {
        var sample = JsonNode.Parse(DemoAccount.Event("run-task-with-role-overrides.json"))!;
        sample["detail"]!["requestParameters"]!["overrides"]!.AsObject().Remove("taskRoleArn");

        Assert.IsType<AuditEvent.Ignored>(Classify(sample));
    }

    [Theory]
    [InlineData("put-role-policy.json", "PutRolePolicy", "billing-worker-execution")]
    [InlineData("attach-role-policy.json", "AttachRolePolicy", "legacy-reports")]
    public void Iam_role_changes_name_the_role(string sample, string eventName, string role)
    {
        var changed = Assert.IsType<AuditEvent.RoleChanged>(Classify(sample));

        Assert.Equal((eventName, role), (changed.EventName, changed.RoleName));
    }

    [Theory]
    [InlineData("CreatePolicyVersion", true, true)]
    [InlineData("CreatePolicyVersion", false, false)]
    [InlineData("SetDefaultPolicyVersion", false, true)]
    public void Managed_policy_changes_matter_only_when_the_default_version_changes(string eventName, bool setAsDefault, bool acted)
    {
        var sample = JsonNode.Parse(DemoAccount.Event("attach-role-policy.json"))!;
        sample["detail"]!["eventName"] = eventName;
        sample["detail"]!["requestParameters"] = new JsonObject { ["policyArn"] = "arn:aws:iam::111122223333:policy/shared", ["setAsDefault"] = setAsDefault, ["versionId"] = "v2" };

        var classified = Classify(sample);

        Assert.Equal(acted, classified is AuditEvent.ManagedPolicyChanged { PolicyArn: "arn:aws:iam::111122223333:policy/shared" });
    }

    [Fact]
    public void The_schedule_asks_for_a_sweep_and_a_bare_task_definition_for_a_direct_audit()
    {
        Assert.IsType<AuditEvent.SweepRequested>(Classify("scheduled-sweep.json"));
        Assert.Equal("billing-worker:12", Assert.IsType<AuditEvent.DirectAudit>(Classify("direct-invocation.json")).TaskDefinition);
    }

    [Theory]
    [InlineData("unrelated-event.json")]
    public void Unrelated_events_are_ignored(string sample) => Assert.IsType<AuditEvent.Ignored>(Classify(sample));

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[1,2]")]
    [InlineData("{\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.ecs\",\"detail\":7}")]
    [InlineData("{\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.ecs\",\"detail\":{\"eventSource\":\"ecs.amazonaws.com\",\"eventName\":\"RunTask\",\"requestParameters\":\"x\"}}")]
    [InlineData("{\"taskDefinition\":42}")]
    public void Malformed_payloads_are_ignored(string payload) =>
        Assert.IsType<AuditEvent.Ignored>(EventClassifier.Classify(Encoding.UTF8.GetBytes(payload)));

    [Fact]
    public void Classification_never_throws_whatever_the_payload()
    {
        var samples = DemoAccount.EventNames.Select(DemoAccount.Event).ToArray();
        // Sample events with bytes cut off or overwritten: half-valid JSON reaches every branch of the readers.
        Gen.Select(Gen.Int[0, samples.Length - 1], Gen.Int[0, 100_000], Gen.Byte).Sample((index, position, value) =>
        {
            var bytes = (byte[])samples[index].Clone();
            var at = position % bytes.Length;
            bytes[at] = value;
            EventClassifier.Classify(bytes);
            EventClassifier.Classify(bytes.AsMemory(0, at));
        }, iter: 2000);
    }

    [Fact]
    public void A_role_name_that_is_not_text_is_ignored_not_a_crash()
    {
        // "\ud800" is valid JSON but no text: reading it throws, which would make Lambda retry the event forever.
        var text = Encoding.UTF8.GetString(DemoAccount.Event("put-role-policy.json"));
        var payload = Encoding.UTF8.GetBytes(text.Replace("\"roleName\": \"billing-worker-execution\"", "\"roleName\": \"\\ud800\"", StringComparison.Ordinal));
        Assert.NotEqual(text, Encoding.UTF8.GetString(payload));

        Assert.IsType<AuditEvent.Ignored>(EventClassifier.Classify(payload));
    }

    [Fact]
    public void A_payload_that_repeats_a_key_is_ignored_so_no_copy_wins_silently()
    {
        var ignored = Assert.IsType<AuditEvent.Ignored>(EventClassifier.Classify("""{"taskDefinition": "orders-api:7", "taskDefinition": "billing-worker:12"}"""u8.ToArray()));

        Assert.Contains("repeats a key", ignored.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_larger_than_eventbridge_delivers_is_ignored_unread()
    {
        var sample = JsonNode.Parse(DemoAccount.Event("register-task-definition-violating.json"))!;
        sample["detail"]!["responseElements"]!["taskDefinition"]!["executionRoleArn"] = "arn:aws:iam::111122223333:role/" + new string('x', EventClassifier.MaxEventBytes);

        var ignored = Assert.IsType<AuditEvent.Ignored>(Classify(sample));

        Assert.Contains("larger than any event EventBridge delivers", ignored.Reason, StringComparison.Ordinal);
        Assert.IsType<AuditEvent.TaskDefinitionRegistered>(Classify("register-task-definition-violating.json"));
    }
}
