using System.Text.Json;
using System.Text.Json.Nodes;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.InfrastructureCode.Declared;
using EcsRoleAuditor.InfrastructureCode.Terraform;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.InfrastructureCode.Tests.Terraform;

/// <summary>
/// What the reader makes of a plan's values (https://developer.hashicorp.com/terraform/internals/json-format:
/// <c>after_unknown</c> marks what is known only after apply, <c>configuration</c> holds each expression's references).
/// </summary>
public sealed class TerraformPlanReaderTests
{
    private const string Account = "123456789012";

    [Fact]
    public void A_resource_known_only_after_apply_becomes_a_marker_in_an_arn_and_in_a_condition_value()
    {
        var declared = PlanFixtures.Read("unknown-arns.json");

        var policy = Policy(declared, "reports-task", "reports-data");
        var statements = Statements(policy);
        Assert.Equal(["arn:aws:s3:::" + UnresolvedValue.For("aws_s3_bucket.data.arn")], Strings(statements[0], "Resource"));
        Assert.Equal([$"arn:aws:kms:eu-west-1:{Account}:" + UnresolvedValue.For("aws_kms_key.data.arn")], Strings(statements[1], "Resource"));
        Assert.Equal([UnresolvedValue.For("aws_s3_bucket.data.arn")],
            Strings(statements[1]!["Condition"]!["StringEquals"], "kms:EncryptionContext:aws:s3:arn"));
        // The data source writes IAM's policy variables as &{...}; the document has them as IAM reads them.
        Assert.Equal(["home/${aws:username}/*"], Strings(statements[2]!["Condition"]!["StringLike"], "s3:prefix"));
        Assert.Equal(["arn:aws:s3:::reports-shared"], Strings(statements[2], "Resource"));
        Assert.Contains(declared.Notes, n => n.Contains("data.aws_iam_policy_document.task", StringComparison.Ordinal) && n.Contains("3 values", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_policy_variables_an_unknown_resource_makes_the_document_unreadable()
    {
        // IAM substitutes ${...} only in 2012-10-17 documents (IAM User Guide, "IAM policy elements: Version"), so a
        // marker in a 2008-10-17 document would be a literal resource name.
        var plan = PlanFixtures.Node("unknown-arns.json");
        PlanFixtures.Change(plan, "data.aws_iam_policy_document.task")["after"]!["version"] = "2008-10-17";

        var document = Policy(PlanFixtures.ReadText(plan.ToJsonString(), "plan.json"), "reports-task", "reports-data").Document;

        Assert.Null(document.Json);
        Assert.Equal("a Resource of statement 0 is known only after apply, and version 2008-10-17 has no policy variables to stand for it", document.Unreadable);
    }

    [Fact]
    public void An_unknown_resource_of_no_known_service_makes_the_document_unreadable()
    {
        // From a variable, not a resource of the plan: even its service is unknown, so no ARN can hold the marker.
        var plan = PlanFixtures.Node("unknown-arns.json");
        var config = plan["configuration"]!["root_module"]!["resources"]!.AsArray().Single(r => (string?)r!["address"] == "data.aws_iam_policy_document.task")!;
        config["expressions"]!["statement"]![0]!["resources"] = new JsonObject { ["references"] = new JsonArray("var.bucket_arn") };

        var document = Policy(PlanFixtures.ReadText(plan.ToJsonString(), "plan.json"), "reports-task", "reports-data").Document;

        Assert.Null(document.Json);
        Assert.Equal("a Resource of statement 0 is known only after apply, and not even its service is known (it uses var.bucket_arn)", document.Unreadable);
    }

    [Theory]
    [InlineData("effect", "Effect")]
    [InlineData("actions", "Action")]
    public void An_unknown_effect_or_action_makes_the_document_unreadable(string attribute, string element)
    {
        var plan = PlanFixtures.Node("unknown-arns.json");
        PlanFixtures.Change(plan, "data.aws_iam_policy_document.task")["after_unknown"]!["statement"]![0]![attribute] = true;

        var document = Policy(PlanFixtures.ReadText(plan.ToJsonString(), "plan.json"), "reports-task", "reports-data").Document;

        Assert.Null(document.Json);
        Assert.Equal($"the {element} of statement 0 is known only after apply", document.Unreadable);
    }

    [Fact]
    public void A_whole_policy_known_only_after_apply_is_unreadable_and_names_what_it_waits_for()
    {
        var plan = PlanFixtures.Node("unknown-arns.json");
        var config = plan["configuration"]!["root_module"]!["resources"]!.AsArray().Single(r => (string?)r!["address"] == "aws_iam_role_policy.task")!;
        config["expressions"]!["policy"] = new JsonObject { ["references"] = new JsonArray("aws_kms_key.data.arn", "aws_kms_key.data") };

        var document = Policy(PlanFixtures.ReadText(plan.ToJsonString(), "plan.json"), "reports-task", "reports-data").Document;

        Assert.Null(document.Json);
        Assert.Equal("the policy is known only after apply (it uses aws_kms_key.data.arn)", document.Unreadable);
        Assert.Equal(new CodeLocation("plan.json", null, "aws_iam_role_policy.task"), document.Location);
    }

    [Fact]
    public void Role_arns_known_only_after_apply_are_the_declared_roles_arns()
    {
        var declared = PlanFixtures.Read("unknown-arns.json");

        var definition = JsonNode.Parse(Assert.Single(declared.TaskDefinitions).Json)!;
        Assert.Equal($"arn:aws:iam::{Account}:role/reports-task", (string?)definition["taskRoleArn"]);
        Assert.Equal($"arn:aws:iam::{Account}:role/reports-execution", (string?)definition["executionRoleArn"]);
        Assert.Equal(declared.Roles.Select(r => r.Arn).Order(StringComparer.Ordinal),
            new[] { (string?)definition["executionRoleArn"], (string?)definition["taskRoleArn"] });
    }

    [Fact]
    public void Another_unknown_task_definition_field_is_a_marker_never_a_guess()
    {
        var plan = PlanFixtures.Node("unknown-arns.json");
        var config = plan["configuration"]!["root_module"]!["resources"]!.AsArray().Single(r => (string?)r!["address"] == "aws_ecs_task_definition.reports")!;
        config["expressions"]!["execution_role_arn"] = new JsonObject { ["references"] = new JsonArray("module.iam.execution_role_arn", "module.iam") };

        var definition = JsonNode.Parse(Assert.Single(PlanFixtures.ReadText(plan.ToJsonString(), "plan.json").TaskDefinitions).Json)!;

        Assert.Equal(UnresolvedValue.For("module.iam.execution_role_arn"), (string?)definition["executionRoleArn"]);
    }

    [Fact]
    public void The_account_comes_from_the_options_then_the_callers_identity()
    {
        Assert.All(PlanFixtures.Read("unknown-arns.json", new TerraformPlanOptions(Account: "210987654321")).Roles,
            r => Assert.StartsWith("arn:aws:iam::210987654321:role/", r.Arn, StringComparison.Ordinal));
        Assert.All(PlanFixtures.Read("unknown-arns.json").Roles,
            r => Assert.StartsWith($"arn:aws:iam::{Account}:role/", r.Arn, StringComparison.Ordinal));
        Assert.All(PlanFixtures.Read("unknown-arns.json", new TerraformPlanOptions(Region: "cn-north-1")).Roles,
            r => Assert.StartsWith($"arn:aws-cn:iam::{Account}:role/", r.Arn, StringComparison.Ordinal));
    }

    [Fact]
    public void Without_any_account_the_role_arns_use_a_placeholder_that_still_parses()
    {
        var plan = PlanFixtures.Node("unknown-arns.json");
        plan["prior_state"]!["values"]!["root_module"]!["resources"]!.AsArray().Clear();
        plan["resource_changes"]!.AsArray().Remove(plan["resource_changes"]!.AsArray().Single(c => (string?)c!["address"] == "data.aws_iam_policy_document.execution_extra"));

        var declared = PlanFixtures.ReadText(plan.ToJsonString(), "plan.json");

        var role = declared.Roles.Single(r => r.Name == "reports-task");
        Assert.Equal($"arn:aws:iam::{StandIns.Account}:role/reports-task", role.Arn);
        Assert.True(Arn.TryParse(role.Arn, out var arn) && arn.ResourceName == "reports-task");
        Assert.Contains(declared.Notes, n => n.Contains("no account is known", StringComparison.Ordinal));
        // An account in a marker's ARN would be a guess: it is left open.
        Assert.StartsWith("arn:aws:kms:eu-west-1:*:", Strings(Statements(Policy(declared, "reports-task", "reports-data"))[1], "Resource")[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Counted_module_instances_keep_their_addresses_and_their_own_policies()
    {
        var declared = PlanFixtures.Read("module-count.json");

        Assert.Equal(["module.services.aws_ecs_task_definition.service[0]", "module.services.aws_ecs_task_definition.service[1]"],
            declared.TaskDefinitions.Select(t => t.Location.Address));
        Assert.All(declared.TaskDefinitions, t => Assert.Equal(("module-count.json", (int?)null), (t.Location.File, t.Location.Line)));
        var catalog = declared.Roles.Single(r => r.Name == "catalog-task");
        Assert.Equal("module.services.aws_iam_role.task[1]", catalog.Location.Address);
        var queue = Assert.Single(catalog.InlinePolicies);
        Assert.Equal("module.services.aws_iam_role_policy.queue[1]", queue.Document.Location.Address);
        Assert.Contains("catalog-jobs", queue.Document.Json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resource_the_plan_deletes_is_not_declared()
    {
        var declared = PlanFixtures.Read("module-count.json");

        Assert.DoesNotContain(declared.Roles, r => r.Name == "legacy-admin");
        Assert.Contains("module-count.json (aws_iam_role.legacy): the plan deletes it, so it is not audited", declared.Notes);
    }

    [Fact]
    public void A_deposed_object_on_its_way_out_does_not_hide_its_replacement()
    {
        // create_before_destroy: the old object is a change of its own, with "deposed" and action delete, listed first here.
        var plan = PlanFixtures.Node("swapped-roles.json");
        var changes = plan["resource_changes"]!.AsArray();
        var deposed = changes.Single(c => (string?)c!["address"] == "aws_iam_role.task")!.DeepClone();
        deposed["deposed"] = "3c2b1a00";
        deposed["change"]!["actions"] = new JsonArray("delete");
        changes.Insert(0, deposed);

        var declared = PlanFixtures.ReadText(plan.ToJsonString(), "plan.json");

        Assert.Contains(declared.Roles, r => r.Name == "billing-worker-task");
        Assert.DoesNotContain(declared.Notes, n => n.Contains("deletes", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_instances_with_one_role_name_are_refused_naming_both_addresses()
    {
        var plan = PlanFixtures.Node("module-count.json");
        PlanFixtures.Change(plan, "module.services.aws_iam_role.task[1]")["after"]!["name"] = "checkout-task";
        var declared = PlanFixtures.ReadText(plan.ToJsonString(), "plan.json");

        var error = Assert.Throws<InputException>(() => DeclaredAccount.Build([declared], export: null));

        Assert.Equal("plan.json (module.services.aws_iam_role.task[1]): the role checkout-task is also declared at plan.json (module.services.aws_iam_role.task[0]) "
            + "(IAM role names are unique in an account, ignoring case)", error.Message);
    }

    [Fact]
    public void A_policy_attached_by_an_arn_known_only_after_apply_is_the_declared_policy()
    {
        var declared = PlanFixtures.Read("unreadable-secret.json");

        var role = Assert.Single(declared.Roles);
        var policy = Assert.Single(declared.ManagedPolicies);
        Assert.Equal($"arn:aws:iam::{Account}:policy/orders-api-execution", policy.Arn);
        Assert.Equal(policy.Arn, Assert.Single(role.ManagedPolicyArns));
        Assert.Empty(role.InlinePolicies);
        // The trust policy is the aws_iam_policy_document data source's json, read while planning (prior_state).
        Assert.Contains("ecs-tasks.amazonaws.com", role.Trust.Json, StringComparison.Ordinal);
    }

    [Fact]
    public void An_attachment_whose_policy_is_not_declared_leaves_the_role_incomplete()
    {
        var plan = PlanFixtures.Node("unreadable-secret.json");
        var config = plan["configuration"]!["root_module"]!["resources"]!.AsArray().Single(r => (string?)r!["address"] == "aws_iam_role_policy_attachment.execution")!;
        config["expressions"]!["policy_arn"] = new JsonObject { ["references"] = new JsonArray("var.execution_policy_arn") };

        var role = Assert.Single(PlanFixtures.ReadText(plan.ToJsonString(), "plan.json").Roles);

        Assert.Empty(role.ManagedPolicyArns);
        var unread = Assert.Single(role.InlinePolicies);
        Assert.Equal("a managed policy attached here is known only after apply (it uses var.execution_policy_arn)", unread.Document.Unreadable);
    }

    [Fact]
    public void A_role_the_configuration_does_not_hold_may_have_inline_and_managed_policies_unknown_until_apply()
    {
        // The provider fills inline_policy and managed_policy_arns in when the configuration sets them not
        // (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role): only the configuration says
        // which it is, and without it an unknown attribute may be a policy, never "none".
        var plan = PlanFixtures.Node("unreadable-secret.json");
        var resources = plan["configuration"]!["root_module"]!["resources"]!.AsArray();
        resources.Remove(resources.Single(r => (string?)r!["address"] == "aws_iam_role.execution"));

        var role = Assert.Single(PlanFixtures.ReadText(plan.ToJsonString(), "plan.json").Roles);

        Assert.Contains(role.InlinePolicies, p => p.Document.Unreadable == "the inline_policy blocks are known only after apply");
        Assert.Contains(role.InlinePolicies, p => p.Document.Unreadable?.StartsWith("a managed policy attached here is known only after apply", StringComparison.Ordinal) == true);
    }

    private static DeclaredInlinePolicy Policy(DeclaredResources declared, string role, string name) =>
        declared.Roles.Single(r => r.Name == role).InlinePolicies.Single(p => p.Name == name);

    private static JsonArray Statements(DeclaredInlinePolicy policy) =>
        JsonNode.Parse(policy.Document.Json ?? throw new InvalidOperationException(policy.Document.Unreadable))!["Statement"]!.AsArray() is var statements
            && statements.All(s => s is not null) ? statements : throw new InvalidOperationException("a null statement");

    private static string[] Strings(JsonNode? node, string name) => [.. node![name]!.AsArray().Select(v => (string)v!)];
}
