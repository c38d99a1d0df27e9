using System.Text;
using System.Text.Json.Nodes;
using EcsRoleAuditor.EventAudit.Events;
using EcsRoleAuditor.EventAudit.Tests.Handling;

namespace EcsRoleAuditor.EventAudit.Tests.Events;

/// <summary>
/// ECS DeregisterTaskDefinition as CloudTrail records it. <c>requestParameters.taskDefinition</c> is, per the ECS API
/// Reference, "The family and revision (family:revision) or full Amazon Resource Name (ARN) of the task definition to
/// deregister. You must specify a revision." (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeregisterTaskDefinition.html).
/// </summary>
public sealed class DeregistrationEventTests
{
    private const string Sample = "deregister-task-definition.json";

    private static AuditEvent Classify(Action<JsonNode>? change = null)
    {
        var node = JsonNode.Parse(DemoAccount.Event(Sample))!;
        change?.Invoke(node["detail"]!);
        return EventClassifier.Classify(Encoding.UTF8.GetBytes(node.ToJsonString()));
    }

    [Fact]
    public void A_deregistration_names_the_family_and_the_revision_deregistered()
    {
        var expected = new AuditEvent.TaskDefinitionDeregistered("billing-worker", 12) { Origin = new EventOrigin("111122223333", "eu-west-1") };
        Assert.Equal(expected, Classify());
        Assert.Equal(expected,
            Classify(d => d["requestParameters"]!["taskDefinition"] = "arn:aws:ecs:eu-west-1:111122223333:task-definition/billing-worker:12"));
    }

    [Theory]
    [InlineData("billing-worker", "names no revision")]
    [InlineData("billing worker:12", "is not one ECS accepts")]
    [InlineData("billing-worker:0", "is not one ECS accepts")]
    [InlineData("arn:aws:s3:::bucket/billing-worker:12", "is not one ECS accepts")]
    public void A_reference_ecs_would_not_have_deregistered_is_ignored_without_quoting_it(string reference, string because)
    {
        var ignored = Assert.IsType<AuditEvent.Ignored>(Classify(d => d["requestParameters"]!["taskDefinition"] = reference));

        Assert.Contains(because, ignored.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(reference, ignored.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reference_longer_than_any_ecs_accepts_is_ignored()
    {
        var ignored = Assert.IsType<AuditEvent.Ignored>(Classify(d => d["requestParameters"]!["taskDefinition"] = new string('a', 100_000) + ":12"));

        Assert.Equal(TaskDefinitionReference.InvalidReason, ignored.Reason);
    }

    [Fact]
    public void A_deregistration_without_request_parameters_is_ignored()
    {
        var ignored = Assert.IsType<AuditEvent.Ignored>(Classify(d => d.AsObject().Remove("requestParameters")));

        Assert.Equal("the event names no task definition (no requestParameters.taskDefinition)", ignored.Reason);
    }
}
