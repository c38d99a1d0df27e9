using System.Text.Json.Nodes;
using EcsRoleAuditor.Audit.Fixes;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>
/// <c>fix --format terraform</c>: HCL for the AWS provider (Terraform Registry, hashicorp/aws: "aws_iam_policy_document",
/// "aws_iam_role", "aws_iam_role_policy"), checked as exact text and by a strict tokenizer: every string closed on its
/// line with only HCL's escapes, no bare template sequence (HCL native syntax: "${" and "%{" start templates, "$${" and
/// "%%{" are the literal text), blocks balanced.
/// </summary>
public sealed class FixTerraformTests : IDisposable
{
    private readonly ScratchFolder _dir = new("era-fix-tf-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_role_Terraform_names_at_apply_is_named_by_reference()
    {
        // name_prefix (or no name) leaves the name to apply (Terraform Registry, hashicorp/aws, "aws_iam_role": name_prefix);
        // the policy names the role by its resource's name attribute, never by the audit's stand-in.
        var plan = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "EcsRoleAuditor.InfrastructureCode.Tests", "Terraform", "Plans", "swapped-roles.json")))!;
        var change = plan["resource_changes"]!.AsArray().Single(c => (string?)c!["address"] == "aws_iam_role.execution")!["change"]!;
        change["after"]!["name"] = null;
        change["after"]!["name_prefix"] = "billing-";
        change["after_unknown"]!["name"] = true;
        var file = _dir.Write("plan.json", plan.ToJsonString());

        var run = CliRun.Of("fix", "--terraform-plan", file, "--format", "terraform");

        Assert.Equal(0, run.ExitCode);
        AssertStrictHcl(run.Stdout);
        Assert.Contains("  role   = aws_iam_role.execution.name\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("  role   = \"billing-worker-task\"\n", run.Stdout, StringComparison.Ordinal); // a name the plan gives is written as it is
    }

    [Fact]
    public void The_swapped_billing_worker_task_role_is_a_policy_document_and_a_role_policy()
    {
        var run = CliRun.Of("fix", "--task-definitions", DemoFiles.TaskDefinitions, "--iam", DemoFiles.Account, "--task-definition", "billing-worker", "--format", "terraform");

        Assert.Equal(0, run.ExitCode);
        AssertStrictHcl(run.Stdout);
        Assert.Contains("""
            data "aws_iam_policy_document" "billing_worker_task_ecr_and_logs" {
              version = "2012-10-17"
              statement {
                sid          = "WriteLogs"
                effect       = "Allow"
                actions      = ["logs:CreateLogStream", "logs:PutLogEvents"]
                resources    = ["arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/billing-worker:*"]
              }
            }

            resource "aws_iam_role_policy" "billing_worker_task_ecr_and_logs" {
              name   = "ecr-and-logs"
              role   = "billing-worker-task"
              policy = data.aws_iam_policy_document.billing_worker_task_ecr_and_logs.json
            }

            """.ReplaceLineEndings("\n"), run.Stdout, StringComparison.Ordinal);
        Assert.Contains("resource \"aws_iam_role_policy\" \"billing_worker_execution\" {\n  name   = \"ecs-task-execution\"\n  role   = \"billing-worker-execution\"\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("# detach arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy from billing-worker-execution\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_execution_role_gets_its_trust_document_with_principals_and_conditions()
    {
        var run = CliRun.Of("fix", "--task-definitions", DemoFiles.TaskDefinitions, "--iam", DemoFiles.Account, "--task-definition", "legacy-reports", "--format", "terraform");

        AssertStrictHcl(run.Stdout);
        Assert.Contains("""
                principals {
                  type        = "Service"
                  identifiers = ["ecs-tasks.amazonaws.com"]
                }
                condition {
                  test     = "ArnLike"
                  variable = "aws:SourceArn"
                  values   = ["arn:aws:ecs:eu-west-1:111122223333:*"]
                }
            """.ReplaceLineEndings("\n"), run.Stdout, StringComparison.Ordinal);
        Assert.Contains("  assume_role_policy = data.aws_iam_policy_document.legacy_reports_execution_trust.json\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("  role   = aws_iam_role.legacy_reports_execution.id\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_kept_kms_Decrypt_is_a_statement_with_its_ViaService_condition()
    {
        var (definitions, iam) = FixKeptKmsDecryptInput.Write(_dir);

        var run = CliRun.Of("fix", "--task-definitions", definitions, "--iam", iam, "--format", "terraform");

        Assert.Equal(0, run.ExitCode);
        AssertStrictHcl(run.Stdout);
        Assert.Contains("""
              statement {
                sid          = "KeptKmsDecrypt"
                effect       = "Allow"
                actions      = ["kms:Decrypt"]
                resources    = ["*"]
                condition {
                  test     = "StringEquals"
                  variable = "kms:ViaService"
                  values   = ["secretsmanager.eu-west-1.amazonaws.com", "ssm.eu-west-1.amazonaws.com"]
                }
              }
            }

            """.ReplaceLineEndings("\n"), run.Stdout, StringComparison.Ordinal);
        Assert.Contains("# note: The input does not say which KMS key encrypts secret DB of container web", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Strings_are_escaped_template_sequences_included()
    {
        Assert.Equal("\"a$${aws:username}%%{x}\\\"\\\\\\n\\u001B\\u202E$b%c\"", TerraformSnippet.Quoted("a${aws:username}%{x}\"\\\n\u001b\u202e$b%c"));
    }

    [Fact]
    public void Hostile_input_stays_inside_its_strings_and_comments()
    {
        var file = _dir.Write("hostile.json", """
            {"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:eu-west-1:111122223333:task-definition/web:1","family":"web${x}\u001b","revision":1,
             "executionRoleArn":"arn:aws:iam::111122223333:role/web-execution",
             "containerDefinitions":[{"name":"web","image":"nginx:1",
               "secrets":[{"name":"A","valueFrom":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:a\"}\n%{ x }${y}\u202e"}]}]}}
            """);

        var run = CliRun.Of("fix", "--task-definitions", file, "--format", "terraform");

        Assert.Equal(0, run.ExitCode);
        AssertStrictHcl(run.Stdout);
        Assert.Contains("data \"aws_iam_policy_document\" \"web_x_execution\" {", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("secret:a\\\"}\\n%%{ x }$${y}\\u202E", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("billing-worker_execution", "billing_worker_execution")]
    [InlineData("2fast", "_2fast")]
    [InlineData("a..b", "a_b")]
    public void Identifiers_follow_terraform_rules(string name, string expected)
    {
        Assert.Equal(expected, TerraformSnippet.Identifier(name));
    }

    // A strict reading of what the output may hold: comments, and lines whose strings close on the line, use only HCL's
    // escapes, never start a template, and whose braces and brackets balance over the whole text.
    private static void AssertStrictHcl(string hcl)
    {
        var depth = 0;
        foreach (var line in hcl.Split('\n'))
        {
            Assert.DoesNotContain(line, c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format);
            if (line.TrimStart().StartsWith('#'))
            {
                continue;
            }
            for (var i = 0; i < line.Length; i++)
            {
                switch (line[i])
                {
                    case '"':
                        i++;
                        for (; ; i++)
                        {
                            Assert.True(i < line.Length, $"unterminated string: {line}");
                            var c = line[i];
                            if (c == '"')
                            {
                                break;
                            }
                            if (c == '\\')
                            {
                                i++;
                                Assert.Contains(line[i], "nrt\"\\uU");
                            }
                            else if ((c == '$' || c == '%') && i + 1 < line.Length && line[i + 1] == '{')
                            {
                                Assert.Fail($"a template sequence in a string: {line}");
                            }
                            else if ((c == '$' || c == '%') && i + 2 < line.Length && line[i + 1] == c && line[i + 2] == '{')
                            {
                                i += 2;
                            }
                        }
                        break;
                    case '{' or '[':
                        depth++;
                        break;
                    case '}' or ']':
                        depth--;
                        Assert.True(depth >= 0, $"unbalanced: {line}");
                        break;
                    default:
                        Assert.True(char.IsAsciiLetterOrDigit(line[i]) || " _=.,-".Contains(line[i], StringComparison.Ordinal), $"unexpected '{line[i]}' in: {line}");
                        break;
                }
            }
        }
        Assert.Equal(0, depth);
    }
}
