using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Audit.Tests.Rules.Trust;

public class TrustRuleTests
{
    private const string RoleArn = "arn:aws:iam::111122223333:role/web-task";

    /// <summary>A task definition whose task role (and, when <paramref name="bothSlots"/>, execution role) has the given trust statements.</summary>
    private static Task<TaskDefinitionReport> AuditTrust(string statements, bool bothSlots = false) =>
        RuleExampleTests.Audit($$$"""
            {"taskDefinition":{"family":"web","taskRoleArn":"{{{RoleArn}}}"{{{(bothSlots ? $",\"executionRoleArn\":\"{RoleArn}\"" : "")}}},
               "containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"{{{RoleArn}}}","trust":{"Version":"2012-10-17","Statement":[{{{statements}}}]}}]}
            """, "trust scenario");

    private const string Guarded = """ "Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}} """;

    private static string EcsTasks(string action = "\"sts:AssumeRole\"", string condition = Guarded) =>
        $$"""{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":{{action}},{{condition}}}""";

    [Fact]
    public async Task Trusting_ecs_instead_of_ecs_tasks_names_what_is_trusted()
    {
        var report = await AuditTrust("""{"Effect":"Allow","Principal":{"Service":"ecs.amazonaws.com"},"Action":"sts:AssumeRole"}""");
        var finding = Assert.Single(report.Of(EcsTasksNotTrustedRule.Rule));
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(SourceKind.TrustPolicy, finding.Source.Kind);
        Assert.Contains("Service ecs.amazonaws.com", finding.Message, StringComparison.Ordinal);
        Assert.Contains("ecs-tasks.amazonaws.com", finding.Remediation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"sts:*\"")]
    [InlineData("\"*\"")]
    [InlineData("[\"sts:TagSession\",\"STS:assumerole\"]")]
    [InlineData("\"sts:Assume*\"")]
    public async Task Action_patterns_that_cover_AssumeRole_trust_ecs_tasks(string action)
    {
        var report = await AuditTrust(EcsTasks(action));
        Assert.Empty(report.Of(EcsTasksNotTrustedRule.Rule));
    }

    [Fact]
    public async Task Trusting_only_AssumeRoleWithWebIdentity_is_not_trusting_ecs_tasks()
    {
        var report = await AuditTrust(EcsTasks("\"sts:AssumeRoleWithWebIdentity\""));
        Assert.Single(report.Of(EcsTasksNotTrustedRule.Rule));
    }

    [Fact]
    public async Task NotAction_that_excludes_AssumeRole_does_not_trust_ecs_tasks_but_one_that_excludes_others_does()
    {
        var excluded = await AuditTrust("""{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"NotAction":"sts:AssumeRole"}""");
        Assert.Single(excluded.Of(EcsTasksNotTrustedRule.Rule));
        var included = await AuditTrust("""{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"NotAction":"sts:TagSession"}""");
        Assert.Empty(included.Of(EcsTasksNotTrustedRule.Rule));
    }

    [Fact]
    public async Task An_unconditional_deny_of_everyone_blocks_ecs_tasks_and_is_named()
    {
        var report = await AuditTrust(EcsTasks() + """,{"Sid":"Lockdown","Effect":"Deny","Principal":"*","Action":"sts:*"}""");
        var finding = Assert.Single(report.Of(EcsTasksNotTrustedRule.Rule));
        Assert.Contains("Lockdown", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_conditional_deny_does_not_block_ecs_tasks()
    {
        var report = await AuditTrust(EcsTasks() + """,{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringNotEquals":{"aws:SourceAccount":"111122223333"}}}""");
        Assert.Empty(report.Of(EcsTasksNotTrustedRule.Rule));
    }

    [Fact]
    public async Task A_role_in_both_slots_is_reported_once_per_trust_rule()
    {
        var report = await AuditTrust("""{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com","AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}""", bothSlots: true);
        Assert.Single(report.Of(OtherPrincipalsTrustedRule.Rule));
        Assert.Single(report.Of(NoConfusedDeputyGuardRule.Rule));
        Assert.Contains("task role and execution role", Assert.Single(report.Of(OtherPrincipalsTrustedRule.Rule)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unconditioned_star_is_critical()
    {
        var report = await AuditTrust("""{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}""");
        var finding = Assert.Single(report.Of(OtherPrincipalsTrustedRule.Rule));
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Null(finding.Conditional);
        Assert.Contains("\"*\" (anyone)", finding.Message, StringComparison.Ordinal);
        Assert.Empty(report.Of(EcsTasksNotTrustedRule.Rule)); // "*" includes ecs-tasks: ECS can assume it
    }

    [Fact]
    public async Task Conditioned_AWS_star_is_high_and_says_which_condition()
    {
        var report = await AuditTrust("""{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}""");
        var finding = Assert.Single(report.Of(OtherPrincipalsTrustedRule.Rule));
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal("StringEquals aws:PrincipalOrgID=o-abc123", finding.Conditional);
    }

    [Fact]
    public async Task NotPrincipal_admits_everyone_it_does_not_name()
    {
        var report = await AuditTrust("""{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}""");
        var finding = Assert.Single(report.Of(OtherPrincipalsTrustedRule.Rule));
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Contains("everyone except AWS arn:aws:iam::444455556666:root", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Web_identity_federation_is_high_and_names_the_provider_and_action()
    {
        var report = await AuditTrust(EcsTasks() + """,{"Sid":"GitHub","Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity"}""");
        var finding = Assert.Single(report.Of(OtherPrincipalsTrustedRule.Rule));
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal("GitHub", finding.Statement);
        Assert.Equal<string>(["sts:AssumeRoleWithWebIdentity"], finding.Actions);
        Assert.Contains("Federated arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_other_principals_of_one_statement_are_one_finding_naming_each()
    {
        var report = await AuditTrust("""{"Effect":"Allow","Principal":{"Service":["ecs-tasks.amazonaws.com","lambda.amazonaws.com"],"AWS":"arn:aws:iam::444455556666:role/ci"},"Action":"sts:AssumeRole",""" + Guarded + "}");
        var finding = Assert.Single(report.Of(OtherPrincipalsTrustedRule.Rule));
        Assert.Contains("Service lambda.amazonaws.com", finding.Message, StringComparison.Ordinal);
        Assert.Contains("AWS arn:aws:iam::444455556666:role/ci", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ecs-tasks", finding.Message.Split(" call ")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_principal_blocked_by_an_unconditional_deny_is_not_reported()
    {
        var report = await AuditTrust(EcsTasks() + """,{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:*"}""");
        Assert.Empty(report.Of(OtherPrincipalsTrustedRule.Rule));
    }

    [Theory]
    [InlineData("""{"StringEquals":{"AWS:SOURCEACCOUNT":"111122223333"}}""")]
    [InlineData("""{"ArnEquals":{"aws:SourceArn":"arn:aws:ecs:eu-west-1:111122223333:task/web/abc"}}""")]
    [InlineData("""{"ArnLike":{"aws:SourceArn":"arn:aws:ecs:*:111122223333:*"},"StringEquals":{"aws:SourceAccount":"111122223333"}}""")]
    [InlineData("""{"StringLike":{"aws:SourceAccount":["111122223333","444455556666"]}}""")]
    public async Task Either_confused_deputy_key_with_a_positive_operator_guards_the_trust(string condition)
    {
        var report = await AuditTrust(EcsTasks(condition: $"\"Condition\":{condition}"));
        Assert.Empty(report.Of(NoConfusedDeputyGuardRule.Rule));
    }

    [Theory]
    [InlineData("""{"StringEqualsIfExists":{"aws:SourceAccount":"111122223333"}}""")]
    [InlineData("""{"StringLike":{"aws:SourceArn":"*"}}""")] // ArnLike "*" never holds at all: ERA013's case (TrustNeverMatchesTests)
    [InlineData("""{"StringNotEquals":{"aws:SourceAccount":"444455556666"}}""")]
    [InlineData("""{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}""")]
    public async Task Conditions_that_hold_without_the_source_being_this_account_do_not_guard(string condition)
    {
        var report = await AuditTrust(EcsTasks(condition: $"\"Condition\":{condition}"));
        var finding = Assert.Single(report.Of(NoConfusedDeputyGuardRule.Rule));
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.NotNull(finding.Conditional);
        // A statement has one Condition block: the fix merges into it rather than adding a second.
        Assert.StartsWith("Add these tests to the Condition of statement", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deny_unless_the_source_account_matches_guards_the_trust()
    {
        var report = await AuditTrust(EcsTasks(condition: "\"Sid\":\"Ecs\"")
            + """,{"Effect":"Deny","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringNotEquals":{"aws:SourceAccount":"111122223333"}}}""");
        Assert.Empty(report.Of(NoConfusedDeputyGuardRule.Rule));
        Assert.Empty(report.Of(EcsTasksNotTrustedRule.Rule));
    }

    [Fact]
    public async Task Only_the_unguarded_one_of_two_ecs_tasks_statements_is_reported()
    {
        var report = await AuditTrust(EcsTasks() + "," + EcsTasks(condition: "\"Sid\":\"Loose\""));
        var finding = Assert.Single(report.Of(NoConfusedDeputyGuardRule.Rule));
        Assert.Equal("Loose", finding.Statement);
        Assert.Contains("111122223333", finding.Remediation, StringComparison.Ordinal);
    }
}
