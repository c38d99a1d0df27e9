using EcsRoleAuditor.InfrastructureCode.Terraform;

namespace EcsRoleAuditor.InfrastructureCode.Tests.Terraform;

// Service Authorization Reference: an ARN's service prefix is not the Terraform type's first word (aws_db_instance is
// rds, aws_lb elasticloadbalancing), and a wrong service would make every statement on the resource not match.
public class PlanArnsTests
{
    private static readonly PlanArns Arns = new("aws", "111122223333", AccountKnown: true, "eu-west-1");

    [Theory]
    [InlineData("aws_s3_bucket", "arn:aws:s3:::${unresolved.x}")]
    [InlineData("aws_cloudwatch_log_group", "arn:aws:logs:eu-west-1:111122223333:${unresolved.x}")]
    [InlineData("aws_dynamodb_table", "arn:aws:dynamodb:eu-west-1:111122223333:${unresolved.x}")]
    public void A_listed_type_places_its_unknown_arn_in_its_service(string type, string expected) =>
        Assert.Equal(expected, Arns.ResourceMarker("x", type));

    [Theory]
    [InlineData("aws_db_instance")]
    [InlineData("aws_lb")]
    [InlineData("aws_sfn_state_machine")]
    [InlineData("google_storage_bucket")]
    public void Another_type_is_not_placed_by_a_guess_from_its_name(string type) =>
        Assert.Null(Arns.ResourceMarker("x", type));
}
