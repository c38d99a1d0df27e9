using System.Text;
using System.Text.Json.Nodes;
using EcsRoleAuditor.EventAudit.Events;
using EcsRoleAuditor.EventAudit.Tests.Handling;

namespace EcsRoleAuditor.EventAudit.Tests.Events;

/// <summary>
/// Task definition references are checked against what ECS accepts before anything is described or logged. The limits
/// are ECS's (Amazon ECS API Reference, RegisterTaskDefinition, <c>family</c>: "Up to 255 letters (uppercase and
/// lowercase), numbers, underscores, and hyphens are allowed"; DescribeTaskDefinition, <c>taskDefinition</c>: "The
/// family for the latest ACTIVE revision, family and revision (family:revision) for a specific revision in the family,
/// or full Amazon Resource Name (ARN) of the task definition"; revisions are numbered from 1).
/// </summary>
public sealed class TaskDefinitionReferenceTests
{
    private static readonly string Family255 = new('f', 255);
    private static readonly string FiveMegabytes = new('a', 5 * 1024 * 1024);

    public static TheoryData<string> Accepted =>
    [
        "web",
        "web-api_2:7",
        Family255,
        Family255 + ":2147483647",
        "arn:aws:ecs:eu-west-1:111122223333:task-definition/billing-worker:12",
        "arn:aws-us-gov:ecs:us-gov-west-1:111122223333:task-definition/" + Family255 + ":1",
    ];

    public static TheoryData<string> Rejected =>
    [
        new string('f', 256),
        "web:0",
        "web:-1",
        "web:+1",
        "web:x",
        "web:",
        ":7",
        "web api",
        "web\u001b[31m",
        "web\u202e",
        "arn:aws:ecs:eu-west-1:111122223333:task-definition/",
        "arn:aws:ecs:eu-west-1:111122223333:service/web",
        "arn:aws:iam::111122223333:task-definition/web:1",
        "arn:aws:ecs:eu-west-1:1111:task-definition/web:1",
        "arn:aws:ecs:eu-west-1:111122223333:task-definition/" + new string('f', 256) + ":1",
        FiveMegabytes,
        "arn:aws:ecs:eu-west-1:111122223333:task-definition/" + FiveMegabytes,
    ];

    [Theory]
    [MemberData(nameof(Accepted))]
    public void References_ecs_accepts_are_valid(string reference) => Assert.True(TaskDefinitionReference.IsValid(reference));

    [Theory]
    [MemberData(nameof(Rejected))]
    public void References_ecs_would_refuse_are_invalid(string reference) => Assert.False(TaskDefinitionReference.IsValid(reference));

    [Fact]
    public void A_direct_invocation_of_five_megabytes_is_ignored_with_a_short_reason_that_does_not_quote_it()
    {
        var payload = Encoding.UTF8.GetBytes(new JsonObject { ["taskDefinition"] = "web:" + FiveMegabytes }.ToJsonString());

        var ignored = Assert.IsType<AuditEvent.Ignored>(EventClassifier.Classify(payload));

        Assert.Equal(AuditEvent.DirectAudit.InvocationName, ignored.EventName);
        Assert.True(ignored.Reason.Length < 1024, $"{ignored.Reason.Length} characters");
        Assert.DoesNotContain("aaaa", ignored.Reason, StringComparison.Ordinal);
    }

    // One character over ECS's limit: a larger event is refused for its size alone (EventClassifierTests).
    private static readonly string FamilyTooLong = new('f', TaskDefinitionReference.MaxFamilyLength + 1);

    [Fact]
    public void A_registration_naming_an_oversized_task_definition_is_ignored_not_described()
    {
        var sample = JsonNode.Parse(DemoAccount.Event("register-task-definition-violating.json"))!;
        var detail = sample["detail"]!;
        var hostileArn = "arn:aws:ecs:eu-west-1:111122223333:task-definition/" + FamilyTooLong + ":12";
        detail["responseElements"]!["taskDefinition"]!["taskDefinitionArn"] = hostileArn;
        detail["responseElements"]!["taskDefinition"]!["family"] = FamilyTooLong;
        detail["requestParameters"]!["family"] = FamilyTooLong;

        var ignored = Assert.IsType<AuditEvent.Ignored>(EventClassifier.Classify(Encoding.UTF8.GetBytes(sample.ToJsonString())));

        Assert.Equal(TaskDefinitionReference.InvalidReason, ignored.Reason);
    }

    [Fact]
    public void A_truncated_registration_naming_an_oversized_family_is_ignored_not_described()
    {
        var sample = JsonNode.Parse(DemoAccount.Event("register-task-definition-truncated.json"))!;
        sample["detail"]!["requestParameters"]!["family"] = FamilyTooLong;

        var ignored = Assert.IsType<AuditEvent.Ignored>(EventClassifier.Classify(Encoding.UTF8.GetBytes(sample.ToJsonString())));

        Assert.Equal(TaskDefinitionReference.InvalidReason, ignored.Reason);
    }

    [Fact]
    public void A_run_task_naming_an_oversized_task_definition_is_ignored_not_described()
    {
        var sample = JsonNode.Parse(DemoAccount.Event("run-task-with-role-overrides.json"))!;
        var detail = sample["detail"]!;
        detail["requestParameters"]!["taskDefinition"] = FamilyTooLong;
        foreach (var task in detail["responseElements"]!["tasks"]!.AsArray())
        {
            task!["taskDefinitionArn"] = "arn:aws:ecs:eu-west-1:111122223333:task-definition/" + FamilyTooLong + ":7";
        }

        var ignored = Assert.IsType<AuditEvent.Ignored>(EventClassifier.Classify(Encoding.UTF8.GetBytes(sample.ToJsonString())));

        Assert.Equal(TaskDefinitionReference.InvalidReason, ignored.Reason);
    }

    [Theory]
    [InlineData("billing-worker", "billing-worker", false)]
    [InlineData("billing-worker:12", "billing-worker", false)]
    [InlineData("arn:aws:ecs:eu-west-1:111122223333:task-definition/billing-worker:12", "billing-worker", true)]
    [InlineData("arn:aws-cn:ecs:cn-north-1:111122223333:task-definition/billing_worker", "billing_worker", true)]
    public void The_family_of_every_accepted_form_and_whether_it_is_an_arn(string reference, string family, bool isArn)
    {
        Assert.Equal(family, TaskDefinitionReference.FamilyOf(reference));
        Assert.Equal(isArn, TaskDefinitionReference.IsArn(reference));
    }

    [Fact]
    public void A_reference_ecs_would_not_accept_has_no_family()
    {
        Assert.Throws<ArgumentException>(() => TaskDefinitionReference.FamilyOf("arn:aws:ecs:eu-west-1:111122223333:service/prod/billing-worker"));
        Assert.False(TaskDefinitionReference.IsArn("arn:5"));
    }
}
