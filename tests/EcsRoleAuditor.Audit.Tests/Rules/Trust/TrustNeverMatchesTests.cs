using System.Text.RegularExpressions;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using static EcsRoleAuditor.Audit.Tests.Rules.Trust.TrustScenarios;

namespace EcsRoleAuditor.Audit.Tests.Rules.Trust;

/// <summary>
/// ERA013: ecs-tasks trust conditions that ECS's sts:AssumeRole request can never meet.
/// The request, per the Amazon ECS Developer Guide (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html):
/// aws:SourceAccount is the task's account and aws:SourceArn an ECS ARN of its partition, region and account (AWS's
/// example trust: ArnLike <c>arn:aws:ecs:us-west-2:111122223333:*</c>, StringEquals aws:SourceAccount <c>111122223333</c>);
/// "Using the aws:SourceArn condition key to specify a specific cluster is not currently supported".
/// Operators, per the IAM User Guide (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
/// StringEquals is "exact matching, case sensitive"; ArnEquals and ArnLike behave identically, component by component
/// with wildcards; every clause of a statement must hold.
/// </summary>
public class TrustNeverMatchesTests
{
    private const string Recommended = """{"ArnLike":{"aws:SourceArn":"arn:aws:ecs:eu-west-1:111122223333:*"},"StringEquals":{"aws:SourceAccount":"111122223333"}}""";

    private static async Task<Finding> CertainFailure(string condition, string? taskDefinitionArn = TaskDefinitionArn, string roleArn = RoleArn)
    {
        var report = await AuditTrust(EcsTasksWhen(condition), taskDefinitionArn, roleArn);
        var finding = Assert.Single(report.Of(EcsTrustNeverMatchesRule.Rule));
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Null(finding.Conditional);
        Assert.Contains("every task fails to start", finding.Message, StringComparison.Ordinal);
        // One root cause, one finding: the guard exists but is wrong, so ERA012 stays quiet; ECS is trusted, so ERA010 does.
        Assert.Empty(report.Of(NoConfusedDeputyGuardRule.Rule));
        Assert.Empty(report.Of(EcsTasksNotTrustedRule.Rule));
        return finding;
    }

    private static async Task<IEnumerable<Finding>> Era013(string condition, string? taskDefinitionArn = TaskDefinitionArn, string roleArn = RoleArn) =>
        (await AuditTrust(EcsTasksWhen(condition), taskDefinitionArn, roleArn)).Of(EcsTrustNeverMatchesRule.Rule);

    [Fact]
    public async Task Another_source_account_means_every_task_fails_and_the_fix_names_this_one()
    {
        var finding = await CertainFailure("""{"StringEquals":{"aws:SourceAccount":"444455556666"}}""");

        Assert.Contains("aws:SourceAccount 111122223333 (the task definition's account)", finding.Message, StringComparison.Ordinal);
        Assert.Contains("#0 requires StringEquals aws:SourceAccount=444455556666", finding.Message, StringComparison.Ordinal);
        Assert.Equal("#0", finding.Statement);
        Assert.Equal(SourceKind.TrustPolicy, finding.Source.Kind);
        Assert.Contains($"\"Condition\":{Recommended}", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_arn_pattern_for_another_region_never_matches()
    {
        var finding = await CertainFailure("""{"ArnLike":{"aws:SourceArn":"arn:aws:ecs:us-east-1:111122223333:*"},"StringEquals":{"aws:SourceAccount":"111122223333"}}""");

        Assert.Contains("ArnLike aws:SourceArn=arn:aws:ecs:us-east-1:111122223333:*", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("StringEquals", finding.Message.Split("accepts")[1], StringComparison.Ordinal); // only the failing clause is named
    }

    [Theory]
    [InlineData("arn:aws-cn:ecs:eu-west-1:111122223333:*")]
    [InlineData("arn:aws-us-gov:ecs:*:111122223333:*")]
    public async Task A_source_arn_pattern_for_another_partition_never_matches(string pattern)
    {
        await CertainFailure($$$"""{"ArnEquals":{"aws:SourceArn":"{{{pattern}}}"}}""");
    }

    [Theory]
    [InlineData("""{"StringEquals":{"aws:SourceArn":"arn:aws:ecs:eu-west-1:111122223333:*"}}""")]
    [InlineData("""{"StringEquals":{"aws:SourceArn":"*"}}""")] // ERA012 would call this unguarded; it is worse: it never holds
    public async Task StringEquals_compares_a_wildcard_literally_and_never_matches_an_ecs_arn(string condition)
    {
        await CertainFailure(condition);
    }

    [Fact]
    public async Task ArnLike_star_has_not_the_six_components_an_ARN_pattern_is_matched_by()
    {
        // "Each of the six colon-delimited components of the ARN is checked separately": "*" has one (the evaluator and
        // the iam-simulate reference agree that it matches no ARN).
        await CertainFailure("""{"ArnLike":{"aws:SourceArn":"*"}}""");
    }

    [Theory]
    [InlineData("""{"StringNotEquals":{"aws:SourceAccount":"111122223333"}}""")]
    [InlineData("""{"StringEqualsIfExists":{"aws:SourceAccount":"444455556666"}}""")]
    [InlineData("""{"Null":{"aws:SourceArn":"true"}}""")] // ECS always sends aws:SourceArn
    public async Task Conditions_ERA012_calls_unguarded_that_never_hold_are_reported_once_by_ERA013(string condition)
    {
        await CertainFailure(condition);
    }

    [Fact]
    public async Task A_wrong_account_fails_whatever_else_the_statement_tests()
    {
        // All clauses must hold: a clause the audit cannot decide does not save a statement another clause fails.
        await CertainFailure("""{"StringEquals":{"aws:SourceAccount":"444455556666","aws:PrincipalTag/team":"web"}}""");
    }

    [Theory]
    [InlineData("""{"ArnLike":{"aws:SourceArn":"arn:aws:ecs:eu-west-1:111122223333:cluster/prod"},"StringEquals":{"aws:SourceAccount":"111122223333"}}""")]
    [InlineData("""{"ArnEquals":{"aws:SourceArn":"arn:aws:ecs:eu-west-1:111122223333:task/web/abc"}}""")]
    [InlineData("""{"StringLike":{"aws:SourceArn":"arn:aws:ecs:eu-west-1:111122223333:cluster/*"}}""")]
    public async Task Naming_part_of_the_accounts_ECS_ARNs_may_fail_and_says_what_AWS_documents(string condition)
    {
        var report = await AuditTrust(EcsTasksWhen(condition));

        var finding = Assert.Single(report.Of(EcsTrustNeverMatchesRule.Rule));
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.StartsWith("ECS's aws:SourceArn matches none of ", finding.Conditional, StringComparison.Ordinal);
        Assert.Contains("naming a specific cluster in aws:SourceArn is not supported", finding.Message, StringComparison.Ordinal);
        Assert.Contains("may fail to start", finding.Message, StringComparison.Ordinal);
        Assert.Contains($"\"Condition\":{Recommended}", finding.Remediation, StringComparison.Ordinal);
        Assert.Empty(report.Of(NoConfusedDeputyGuardRule.Rule));
    }

    [Theory]
    [InlineData("""{"StringEquals":{"aws:PrincipalTag/team":"web"}}""")] // unknown key: may hold
    [InlineData("""{"ArnNotLike":{"aws:SourceArn":"arn:aws:ecs:eu-west-1:111122223333:cluster/legacy"}}""")] // excludes part: holds for the rest
    [InlineData("""{"ArnLike":{"aws:SourceArn":"arn:*:ecs:*:111122223333:*"}}""")]
    [InlineData("""{"StringLike":{"aws:SourceArn":"arn:aws:ecs:eu-west-1:111122223333:*"},"StringEqualsIgnoreCase":{"aws:SourceAccount":"111122223333"}}""")]
    [InlineData("""{"ArnLike":{"aws:SourceArn":["arn:aws:ecs:us-east-1:111122223333:*","arn:aws:ecs:eu-west-1:111122223333:*"]}}""")] // values OR
    [InlineData("""{"StringEquals":{"aws:SourceAccount":"${aws:PrincipalAccount}"}}""")] // a variable the audit cannot resolve for ECS
    public async Task Conditions_that_hold_or_may_hold_for_ECS_are_not_reported(string condition)
    {
        Assert.Empty(await Era013(condition));
    }

    [Fact]
    public async Task The_recommended_condition_from_the_finding_passes_every_trust_rule()
    {
        var bad = await CertainFailure("""{"StringEquals":{"aws:SourceAccount":"444455556666"}}""");
        var condition = Regex.Match(bad.Remediation, "\"Condition\":(\\{\"ArnLike\":\\{[^}]*\\},\"StringEquals\":\\{[^}]*\\}\\})").Groups[1].Value;
        Assert.Equal(Recommended, condition);

        var report = await AuditTrust(EcsTasksWhen(condition));

        Assert.Empty(report.Findings.Select(f => f.Rule).Intersect([EcsTasksNotTrustedRule.Rule, OtherPrincipalsTrustedRule.Rule, NoConfusedDeputyGuardRule.Rule, EcsTrustNeverMatchesRule.Rule]));
    }

    [Theory]
    [InlineData("aws-cn", "cn-north-1")]
    [InlineData("aws-us-gov", "us-gov-west-1")]
    public async Task Other_partitions_pass_with_their_own_partition_and_fail_with_aws(string partition, string region)
    {
        var taskDefinitionArn = $"arn:{partition}:ecs:{region}:111122223333:task-definition/web:3";
        var roleArn = $"arn:{partition}:iam::111122223333:role/web-task";
        var own = $$$"""{"ArnLike":{"aws:SourceArn":"arn:{{{partition}}}:ecs:{{{region}}}:111122223333:*"},"StringEquals":{"aws:SourceAccount":"111122223333"}}""";

        Assert.Empty(await Era013(own, taskDefinitionArn, roleArn));
        var finding = await CertainFailure(own.Replace($"arn:{partition}:", "arn:aws:", StringComparison.Ordinal), taskDefinitionArn, roleArn);
        Assert.Contains($"\"Condition\":{own}", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_task_definition_ARN_the_roles_account_is_the_source_account_and_the_region_is_unknown()
    {
        var finding = await CertainFailure("""{"StringEquals":{"aws:SourceAccount":"444455556666"}}""", taskDefinitionArn: null);
        Assert.Contains("aws:SourceAccount 111122223333 (the role's account; the task definition has no ARN)", finding.Message, StringComparison.Ordinal);
        Assert.Contains("\"aws:SourceArn\":\"arn:aws:ecs:*:111122223333:*\"", finding.Remediation, StringComparison.Ordinal);
        Assert.DoesNotContain("other regions", finding.Remediation, StringComparison.Ordinal);

        // Any region may be the task's: a pattern of one region may match, so it is not reported...
        Assert.Empty(await Era013("""{"ArnLike":{"aws:SourceArn":"arn:aws:ecs:us-east-1:111122223333:*"}}""", taskDefinitionArn: null));
        // ...nor is a list whose values one region fully matches, though another value names a cluster of another region...
        Assert.Empty(await Era013("""{"ArnLike":{"aws:SourceArn":["arn:aws:ecs:us-west-2:111122223333:cluster/prod","arn:aws:ecs:us-east-1:111122223333:*"]}}""", taskDefinitionArn: null));
        // ...but one that names a cluster narrows the ARNs in whichever region it names.
        var narrowed = Assert.Single(await Era013("""{"ArnLike":{"aws:SourceArn":"arn:aws:ecs:us-east-1:111122223333:cluster/prod"}}""", taskDefinitionArn: null));
        Assert.Equal(Severity.Medium, narrowed.Severity);
    }

    [Fact]
    public async Task One_statement_that_matches_suffices()
    {
        const string wrongAccount = """{"StringEquals":{"aws:SourceAccount":"444455556666"}}""";
        Assert.Single(await Era013(wrongAccount));

        var report = await AuditTrust(EcsTasksWhen(wrongAccount, sid: "Old") + "," + EcsTasksWhen(Recommended, sid: "Current"));

        Assert.Empty(report.Of(EcsTrustNeverMatchesRule.Rule));
    }

    [Fact]
    public async Task Every_failing_statement_is_named_with_its_failing_clause()
    {
        var report = await AuditTrust(
            EcsTasksWhen("""{"StringEquals":{"aws:SourceAccount":"444455556666"}}""", sid: "Staging") + ","
            + EcsTasksWhen("""{"ArnLike":{"aws:SourceArn":"arn:aws:ecs:eu-west-1:111122223333:cluster/prod"}}""", sid: "Prod"));

        var finding = Assert.Single(report.Of(EcsTrustNeverMatchesRule.Rule));
        Assert.Equal(Severity.Medium, finding.Severity); // the cluster statement might still match
        Assert.Equal("Staging, Prod", finding.Statement);
        Assert.Contains("Staging requires StringEquals aws:SourceAccount=444455556666", finding.Message, StringComparison.Ordinal);
        Assert.Contains("Prod accepts only ArnLike aws:SourceArn=arn:aws:ecs:eu-west-1:111122223333:cluster/prod", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unconditional_deny_is_left_to_ERA010()
    {
        var report = await AuditTrust(EcsTasksWhen("""{"StringEquals":{"aws:SourceAccount":"444455556666"}}""")
            + """,{"Sid":"Lockdown","Effect":"Deny","Principal":"*","Action":"sts:*"}""");

        Assert.Single(report.Of(EcsTasksNotTrustedRule.Rule));
        Assert.Empty(report.Of(EcsTrustNeverMatchesRule.Rule));
    }

    // A Deny with conditions blocks ECS when they certainly hold for its request; every applicable Deny wins over any Allow
    // (IAM User Guide, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
    [Theory]
    [InlineData("""{"StringNotEquals":{"aws:SourceAccount":"444455556666"}}""")] // a guard Deny copied from another account
    [InlineData("""{"ArnNotLike":{"aws:SourceArn":"arn:aws:ecs:us-east-1:111122223333:*"}}""")] // another region
    public async Task A_deny_whose_conditions_always_hold_for_ECS_blocks_it_and_is_ERA010s_alone(string condition)
    {
        var report = await AuditTrust(EcsTasksWhen(Recommended)
            + $$$""",{"Sid":"OnlyOurTasks","Effect":"Deny","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{{{condition}}}}""");

        var finding = Assert.Single(report.Of(EcsTasksNotTrustedRule.Rule));
        Assert.Contains("a Deny that applies to every ECS request (OnlyOurTasks)", finding.Message, StringComparison.Ordinal);
        Assert.Empty(report.Of(NoConfusedDeputyGuardRule.Rule));
        Assert.Empty(report.Of(EcsTrustNeverMatchesRule.Rule));
    }

    [Theory]
    [InlineData("""{"StringNotEquals":{"aws:SourceAccount":"111122223333"}}""", TaskDefinitionArn)] // the right guard
    [InlineData("""{"ArnNotLike":{"aws:SourceArn":"arn:aws:ecs:us-east-1:111122223333:*"}}""", null)] // the task's region is unknown
    [InlineData("""{"StringNotEquals":{"aws:PrincipalTag/team":"web"}}""", TaskDefinitionArn)] // a key the audit does not know
    public async Task A_deny_whose_conditions_may_not_hold_for_ECS_does_not_block_it(string condition, string? taskDefinitionArn)
    {
        var report = await AuditTrust(EcsTasksWhen(Recommended)
            + $$$""",{"Effect":"Deny","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{{{condition}}}}""",
            taskDefinitionArn);

        Assert.Empty(report.Of(EcsTasksNotTrustedRule.Rule));
    }

    [Fact]
    public async Task A_role_in_both_slots_is_reported_once()
    {
        var statement = EcsTasksWhen("""{"StringEquals":{"aws:SourceAccount":"444455556666"}}""");
        var report = await RuleExampleTests.Audit($$$"""
            {"taskDefinition":{"taskDefinitionArn":"{{{TaskDefinitionArn}}}","family":"web","taskRoleArn":"{{{RoleArn}}}","executionRoleArn":"{{{RoleArn}}}",
                               "containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"{{{RoleArn}}}","trust":{"Version":"2012-10-17","Statement":[{{{statement}}}]}}]}
            """, "both slots");

        var finding = Assert.Single(report.Of(EcsTrustNeverMatchesRule.Rule));
        Assert.Contains("task role and execution role", finding.Message, StringComparison.Ordinal);
    }
}
