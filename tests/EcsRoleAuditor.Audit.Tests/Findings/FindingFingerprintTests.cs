using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Audit.Tests.Findings;

/// <summary>A problem's identity across audits (issue 14): the same problem in a new revision is the same problem.</summary>
public class FindingFingerprintTests
{
    private const string ExecutionRole = TestData.SampleFindings.ExecutionRole;

    private static readonly Finding Sample = TestData.SampleFindings.AppPermissionOnExecutionRole;

    private static TaskDefinitionReport Report(int revision, string account = "111122223333", string family = "billing-worker") =>
        new($"arn:aws:ecs:eu-west-1:{account}:task-definition/{family}:{revision}", family, revision, null, ExecutionRole, [Sample]);

    private static string Of(Finding finding, TaskDefinitionReport? report = null) => FindingFingerprint.Of(report ?? Report(12), finding);

    [Fact]
    public void The_same_problem_in_a_new_revision_keeps_its_fingerprint()
    {
        Assert.Equal(FindingFingerprint.Of(Report(12), Sample), FindingFingerprint.Of(Report(13), Sample));
    }

    [Fact]
    public void What_may_change_while_the_problem_stays_does_not_change_it()
    {
        var reworded = Sample with
        {
            Severity = Severity.Critical,
            Message = "other words",
            Remediation = "other fix",
            Actions = ["dynamodb:PutItem", "dynamodb:DeleteItem"],
            Source = Sample.Source with { VersionId = "v7" },
        };

        Assert.Equal(Of(Sample), Of(reworded));
    }

    [Fact]
    public void Each_identifying_field_makes_another_problem()
    {
        string[] fingerprints =
        [
            Of(Sample),
            Of(Sample with { Rule = ExecutionPermissionsOnTaskRoleRule.Rule }),
            Of(Sample with { RoleSlot = RoleSlot.Task }),
            Of(Sample with { RoleArn = "arn:aws:iam::111122223333:role/other" }),
            Of(Sample with { Source = new FindingSource(SourceKind.InlinePolicy, "other") }),
            Of(Sample with { Source = new FindingSource(SourceKind.ManagedPolicy, "app", "arn:aws:iam::111122223333:policy/app") }),
            Of(Sample with { Statement = "Queues" }),
            Of(Sample, Report(12, account: "444455556666")),
            Of(Sample, Report(12, family: "billing-api")),
        ];

        Assert.Equal(fingerprints.Length, fingerprints.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void A_fingerprint_is_versioned_and_fixed_length()
    {
        Assert.Matches("^fp1-[0-9a-f]{32}$", Of(Sample));
    }
}
