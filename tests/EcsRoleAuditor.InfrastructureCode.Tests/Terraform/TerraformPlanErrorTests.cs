using EcsRoleAuditor.Audit.Inputs;

namespace EcsRoleAuditor.InfrastructureCode.Tests.Terraform;

/// <summary>Input that is not a plan, or a plan value of the wrong type: one line naming the file and the JSON path.</summary>
public sealed class TerraformPlanErrorTests
{
    [Theory]
    [InlineData("[]", "plan.json: $: expected the output of 'terraform show -json PLANFILE' (an object), found an array")]
    [InlineData("""{"values":{}}""", "plan.json: $: is not a Terraform plan: no \"format_version\" (write it with 'terraform show -json PLANFILE')")]
    [InlineData("""{"format_version":"1.0","terraform_version":"1.9.8","values":{"root_module":{}}}""",
        "plan.json: $: is not a Terraform plan: no \"planned_values\" (a state's JSON has none; run 'terraform show -json' on the saved plan file)")]
    [InlineData("""{"format_version":"2.0","planned_values":{}}""", "plan.json: $.format_version: format version 2.0 is not supported (1.x is)")]
    [InlineData("""{"format_version":"1.2","planned_values":{},"resource_changes":{}}""", "plan.json: $.resource_changes: expected an array, found an object")]
    public void Not_a_plan_is_one_line_naming_the_place(string json, string message)
    {
        var error = Assert.Throws<InputException>(() => PlanFixtures.ReadText(json, "plan.json"));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_its_json_path()
    {
        var plan = PlanFixtures.Node("swapped-roles.json");
        PlanFixtures.Change(plan, "aws_ecs_task_definition.billing")["after"]!["container_definitions"] = 42;

        var error = Assert.Throws<InputException>(() => PlanFixtures.ReadText(plan.ToJsonString(), "plan.json"));

        Assert.Equal("plan.json: $.resource_changes[3].change.after.container_definitions: expected a string, found a number", error.Message);
    }

    [Fact]
    public void Container_definitions_that_are_not_json_name_the_attribute()
    {
        var plan = PlanFixtures.Node("swapped-roles.json");
        PlanFixtures.Change(plan, "aws_ecs_task_definition.billing")["after"]!["container_definitions"] = "[{\"name\":\"worker\",}";

        var error = Assert.Throws<InputException>(() => PlanFixtures.ReadText(plan.ToJsonString(), "plan.json"));

        Assert.StartsWith("plan.json: $.resource_changes[3].change.after.container_definitions: container_definitions is not valid JSON at line 1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
