using EcsRoleAuditor.Audit.Reporting;

namespace EcsRoleAuditor.Pipeline.Tests;

/// <summary>An unfinished item of one account and region of a run over several: its report says whose it is.</summary>
public sealed class UnfinishedAuditTests
{
    private static readonly AccountRegion MemberInIreland = new("444455556666", "eu-west-1");
    private static readonly AccountRegion OtherInIreland = new("777788889999", "eu-west-1");

    [Fact]
    public void A_revision_in_an_account_gets_its_ARN_and_says_how_to_audit_it_there_again()
    {
        var report = new UnfinishedAudit("web:3", "DescribeTaskDefinition failed (ClientException)") { Account = MemberInIreland }.ToReport();

        Assert.Equal("arn:aws:ecs:eu-west-1:444455556666:task-definition/web:3", report.TaskDefinitionArn);
        Assert.Equal(("web", (int?)3), (report.Family, report.Revision));
        var finding = Assert.Single(report.Findings);
        Assert.StartsWith("The audit of web:3 in account 444455556666 in eu-west-1 is incomplete", finding.Message, StringComparison.Ordinal);
        Assert.EndsWith("or run ecs-role-auditor audit --live --accounts 444455556666 --region eu-west-1 --task-definition web:3.", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_family_or_a_listing_names_its_account_and_two_accounts_keep_two_fingerprints()
    {
        var member = new UnfinishedAudit("web", "DescribeTaskDefinition failed (ClientException)") { Account = MemberInIreland }.ToReport();
        var other = new UnfinishedAudit("web", "DescribeTaskDefinition failed (ClientException)") { Account = OtherInIreland }.ToReport();
        var listing = new UnfinishedAudit("ACTIVE task definitions", "listing them failed (AccessDeniedException)", IsStep: true) { Account = MemberInIreland }.ToReport();

        Assert.Null(member.TaskDefinitionArn);
        Assert.NotEqual(SarifReportWriter.Fingerprint(member, member.Findings[0]), SarifReportWriter.Fingerprint(other, other.Findings[0]));
        Assert.Null(listing.TaskDefinitionArn);
        Assert.StartsWith("The audit of ACTIVE task definitions in account 444455556666 in eu-west-1 is incomplete", listing.Findings[0].Message, StringComparison.Ordinal);
        Assert.EndsWith("run ecs-role-auditor audit --live --accounts 444455556666 --region eu-west-1 --all.", listing.Findings[0].Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ARN_names_its_account_itself_and_is_left_as_it_is()
    {
        const string Arn = "arn:aws:ecs:us-east-1:444455556666:task-definition/web:3";
        var scoped = new UnfinishedAudit(Arn, "the invocation reached its deadline before auditing it") { Account = MemberInIreland }.ToReport();
        var plain = new UnfinishedAudit(Arn, "the invocation reached its deadline before auditing it").ToReport();

        Assert.Equal(plain.TaskDefinitionArn, scoped.TaskDefinitionArn);
        Assert.Equal(plain.Findings[0].Message, scoped.Findings[0].Message);
        Assert.Equal(plain.Findings[0].Remediation, scoped.Findings[0].Remediation);
    }
}
