using EcsRoleAuditor.Audit.Model;

namespace EcsRoleAuditor.Audit.Tests.Model;

public sealed class TaskDefinitionReferenceTests
{
    // DescribeTaskDefinition takes "the family for the latest ACTIVE revision, family and revision (family:revision) for a
    // specific revision in the family, or full Amazon Resource Name (ARN)"
    // (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html); the ARN is
    // arn:PARTITION:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION in every partition.
    [Theory]
    [InlineData("arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3", true, "web", 3)]
    [InlineData("arn:aws-cn:ecs:cn-north-1:111122223333:task-definition/web:3", true, "web", 3)]
    [InlineData("arn:aws-us-gov:ecs:us-gov-west-1:111122223333:task-definition/billing_worker-2:12", true, "billing_worker-2", 12)]
    [InlineData("web:3", false, "web", 3)]
    [InlineData("web", false, "web", null)]
    [InlineData("web:latest", false, "web:latest", null)]
    public void A_reference_names_its_family_and_revision(string text, bool isArn, string family, int? revision)
    {
        Assert.Equal(new TaskDefinitionReference(text, isArn ? text : null, family, revision), TaskDefinitionReference.Parse(text));
    }
}
