using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting.SecurityHub;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.EventAudit.Handling;
using EcsRoleAuditor.EventAudit.Tests.Alerts;
using EcsRoleAuditor.State;
using Microsoft.Extensions.Time.Testing;

namespace EcsRoleAuditor.EventAudit.Tests.Handling;

/// <summary>
/// The function's Security Hub sink: what it imports, suppresses and archives, and that Security Hub failing never
/// fails the audit. BatchImportFindings ignores Workflow on a finding that exists ("BatchImportFindings", AWS Security
/// Hub API Reference), so a later suppression goes through BatchUpdateFindings.
/// </summary>
public sealed class SecurityHubExportTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly FakeTimeProvider Clock = new(Now);

    private static TaskDefinitionReport Report(string account = "111122223333", string region = "eu-west-1", params Finding[] findings) =>
        new($"arn:aws:ecs:{region}:{account}:task-definition/web:4", "web", 4, null, "arn:aws:iam::111122223333:role/web-api-execution", [.. findings]);

    private static (SecurityHubExport Export, RecordingSecurityHub Hub, RecordingObservability Log) Export()
    {
        var hub = new RecordingSecurityHub();
        var log = new RecordingObservability();
        return (new SecurityHubExport(hub, SampleAlerts.Scope, log, Clock, "test"), hub, log);
    }

    private static LedgerEntry Entry(TaskDefinitionReport report) =>
        new(FamilyKey.Of(report)!, "claim", [], [], []);

    [Fact]
    public async Task Findings_above_INFO_are_imported_once_each_with_the_stores_first_sighting()
    {
        var (export, hub, _) = Export();
        var firstSeen = Now.AddDays(-3);
        var report = Report(findings: [SampleAlerts.Finding(0), SampleAlerts.Finding(0), SampleAlerts.Finding(1, severity: Severity.Info)]);
        var entry = Entry(report) with { FirstSeen = ImmutableDictionary<string, DateTimeOffset>.Empty.Add(FindingFingerprint.Of(report, report.Findings[0]), firstSeen) };

        await export.ReportedAsync(report, entry, CancellationToken.None);
        Assert.Empty(hub.Imported); // waits for a full call or the end of the run
        await export.FlushAsync(CancellationToken.None);

        var imported = Assert.Single(hub.Imported); // the duplicate is one finding; INFO is no failed check
        Assert.Equal(FindingFingerprint.Of(report, report.Findings[0]), imported["Id"]!.GetValue<string>());
        Assert.Equal(firstSeen, DateTimeOffset.Parse(imported["CreatedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Now, DateTimeOffset.Parse(imported["UpdatedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("ACTIVE", imported["RecordState"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_task_definition_of_another_account_or_region_is_not_imported_into_this_one()
    {
        var (export, hub, log) = Export();

        await export.ReportedAsync(Report(region: "us-east-1", findings: [SampleAlerts.Finding(0)]), null, CancellationToken.None);
        await export.ReportedAsync(Report(account: "444455556666", findings: [SampleAlerts.Finding(0)]), null, CancellationToken.None);

        Assert.Empty(hub.Imported);
        Assert.Equal(2, log.Lines.Count(l => l.Message.Contains("its findings are not imported", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_suppression_after_the_finding_is_set_through_BatchUpdateFindings_and_an_outdated_finding_is_not_imported()
    {
        var (export, hub, _) = Export();
        var suppressed = SampleAlerts.Finding(0) with { Suppressed = true, SuppressionReason = "accepted" };
        var outdated = SampleAlerts.Finding(1);
        var report = Report(findings: [suppressed, outdated]);
        var entry = Entry(report) with
        {
            NewlySuppressed = [FindingFingerprint.Of(report, suppressed)],
            Outdated = [FindingFingerprint.Of(report, outdated)],
        };

        await export.ReportedAsync(report, entry, CancellationToken.None);
        await export.FlushAsync(CancellationToken.None);

        Assert.Equal("SUPPRESSED", Assert.Single(hub.Imported)["Workflow"]!["Status"]!.GetValue<string>());
        var update = Assert.Single(hub.Updates);
        Assert.Equal("SUPPRESSED", update.WorkflowStatus);
        Assert.Equal(FindingFingerprint.Of(report, suppressed), Assert.Single(update.Findings).Id);
    }

    [Fact]
    public async Task A_finding_the_store_held_suppressed_already_is_not_updated_again()
    {
        var (export, hub, _) = Export();
        var report = Report(findings: [SampleAlerts.Finding(0) with { Suppressed = true }]);

        await export.ReportedAsync(report, Entry(report), CancellationToken.None);
        await export.FlushAsync(CancellationToken.None);

        Assert.Single(hub.Imported);
        Assert.Empty(hub.Updates);
    }

    [Fact]
    public async Task Security_Hub_failing_is_logged_never_thrown_and_stops_the_reconciliation()
    {
        var (export, hub, log) = Export();
        hub.Failure = new AmazonServiceException("not subscribed") { ErrorCode = "InvalidAccessException" };
        hub.Held.Add(HeldFinding("fp1-stale", Now.AddDays(-1)));

        await export.ReportedAsync(Report(findings: [SampleAlerts.Finding(0)]), null, CancellationToken.None);
        await export.FlushAsync(CancellationToken.None);
        hub.Failure = null;
        await export.ReconcileAsync(Now.AddMinutes(-5), null, CancellationToken.None);

        Assert.Contains(log.Lines, l => l.Level == LogLevel.Error && l.Message.Contains("InvalidAccessException", StringComparison.Ordinal));
        Assert.Empty(hub.Imported); // a failed sweep does not archive what it may have failed to import
    }

    [Fact]
    public async Task The_sweep_archives_only_this_auditors_findings_it_did_not_show_and_that_predate_it()
    {
        var (export, hub, _) = Export();
        var report = Report(findings: [SampleAlerts.Finding(0)]);
        var shown = FindingFingerprint.Of(report, report.Findings[0]);
        var startedAt = Now.AddMinutes(-5);
        hub.Held.AddRange([
            HeldFinding(shown, Now.AddDays(-1)),                // the sweep shows it: stays
            HeldFinding("fp1-gone", Now.AddDays(-1)),           // not shown: archived
            HeldFinding("fp1-concurrent", Now.AddMinutes(-1)),  // imported by an event during the sweep: stays
            HeldFinding("fp1-foreign", Now.AddDays(-1), ours: false), // another tool's finding under the default product: left alone
        ]);

        await export.ReportedAsync(report, null, CancellationToken.None);
        await export.FlushAsync(CancellationToken.None);
        hub.Imported.Clear();
        await export.ReconcileAsync(startedAt, null, CancellationToken.None);

        var archived = Assert.Single(hub.Imported);
        Assert.Equal("fp1-gone", archived["Id"]!.GetValue<string>());
        Assert.Equal("ARCHIVED", archived["RecordState"]!.GetValue<string>());
        Assert.Equal("PASSED", archived["Compliance"]!["Status"]!.GetValue<string>());
        Assert.Equal("HIGH", archived["FindingProviderFields"]!["Severity"]!["Label"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_sweep_keeps_what_the_store_holds_open_from_a_newer_revision()
    {
        var (export, hub, _) = Export();
        hub.Held.AddRange([HeldFinding("fp1-from-revision-13", Now.AddDays(-1)), HeldFinding("fp1-gone", Now.AddDays(-1))]);

        await export.ReconcileAsync(Now.AddMinutes(-5), new HashSet<string>(StringComparer.Ordinal) { "fp1-from-revision-13" }, CancellationToken.None);

        Assert.Equal("fp1-gone", Assert.Single(hub.Imported)["Id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_sweeps_findings_go_a_hundred_to_a_call_not_one_call_per_task_definition()
    {
        var (export, hub, _) = Export();
        for (var family = 0; family < 60; family++)
        {
            var report = Report(findings: [SampleAlerts.Finding(0), SampleAlerts.Finding(1)]) with { Family = $"web{family}", TaskDefinitionArn = $"arn:aws:ecs:eu-west-1:111122223333:task-definition/web{family}:4" };
            await export.ReportedAsync(report, null, CancellationToken.None);
        }
        await export.FlushAsync(CancellationToken.None);

        Assert.Equal(120, hub.Imported.Count);
        Assert.Equal(120, hub.Imported.Select(f => f["Id"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(2, hub.Calls); // 100 and 20
    }

    [Fact]
    public async Task A_lifted_suppression_sets_the_workflow_back_to_NEW()
    {
        var (export, hub, _) = Export();
        var report = Report(findings: [SampleAlerts.Finding(0)]);

        await export.ReportedAsync(report, Entry(report) with { NewlyUnsuppressed = [FindingFingerprint.Of(report, report.Findings[0])] }, CancellationToken.None);
        await export.FlushAsync(CancellationToken.None);

        var update = Assert.Single(hub.Updates);
        Assert.Equal(("NEW", FindingFingerprint.Of(report, report.Findings[0])), (update.WorkflowStatus, Assert.Single(update.Findings).Id));
    }

    [Fact]
    public async Task Without_the_store_the_sweep_sets_NEW_on_a_finding_Security_Hub_holds_suppressed_that_no_longer_is()
    {
        var (export, hub, _) = Export();
        var report = Report(findings: [SampleAlerts.Finding(0)]);
        var id = FindingFingerprint.Of(report, report.Findings[0]);
        hub.Held.Add(HeldFinding(id, Now.AddDays(-1)) with { WorkflowStatus = "SUPPRESSED" });

        await export.ReportedAsync(report, null, CancellationToken.None);
        await export.ReconcileAsync(Now.AddMinutes(-5), null, CancellationToken.None);

        Assert.Equal("NEW", Assert.Single(hub.Updates).WorkflowStatus);
    }

    [Fact]
    public async Task The_sweep_archives_nothing_of_a_family_whose_audit_was_incomplete()
    {
        var (export, hub, _) = Export();
        var unread = SampleAlerts.Finding(0) with { Rule = EcsRoleAuditor.Audit.Rules.IncompleteAuditRule.Rule, Severity = Severity.Medium };
        hub.Held.Add(HeldFinding("fp1-of-old", Now.AddDays(-1)));

        await export.ReportedAsync(Report(findings: [unread]) with { Family = "old", TaskDefinitionArn = "arn:aws:ecs:eu-west-1:111122223333:task-definition/old:2" }, null, CancellationToken.None);
        await export.ReconcileAsync(Now.AddMinutes(-5), null, CancellationToken.None);

        Assert.DoesNotContain(hub.Imported, f => f["Id"]!.GetValue<string>() == "fp1-of-old");
    }

    [Fact]
    public async Task The_sweep_archives_nothing_of_a_family_it_could_not_describe()
    {
        var (export, hub, _) = Export();
        hub.Held.AddRange([HeldFinding("fp1-of-old", Now.AddDays(-1))]);

        export.Unaudited(["old"]);
        await export.ReconcileAsync(Now.AddMinutes(-5), null, CancellationToken.None);

        Assert.Empty(hub.Imported);
    }

    [Fact]
    public async Task A_held_finding_that_cannot_be_written_back_is_logged_and_skipped()
    {
        var (export, hub, log) = Export();
        var hostile = HeldFinding("fp1-hostile", Now.AddDays(-1));
        hub.Held.AddRange([
            hostile with { ProductFields = new Dictionary<string, string>(hostile.ProductFields) { [AsffProductFields.TaskDefinitionArn] = "n/a" } },
            HeldFinding("fp1-gone", Now.AddDays(-1)),
        ]);

        await export.ReconcileAsync(Now.AddMinutes(-5), null, CancellationToken.None);

        Assert.Equal("fp1-gone", Assert.Single(hub.Imported)["Id"]!.GetValue<string>());
        Assert.Contains(log.Lines, l => l.Level == LogLevel.Error && l.Message.Contains("was not written", StringComparison.Ordinal));
    }

    private static SecurityHubFinding HeldFinding(string id, DateTimeOffset updatedAt, bool ours = true) => new(
        id, "arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default", ours ? "ERA020" : "other-tool-check", "111122223333", "ACTIVE",
        "FAILED", "NEW", updatedAt.AddDays(-1), updatedAt, ["arn:aws:ecs:eu-west-1:111122223333:task-definition/old:1", "arn:aws:iam::111122223333:role/old-execution"],
        ours
            ? new Dictionary<string, string>
            {
                [AsffProductFields.Family] = "old", [AsffProductFields.TaskDefinitionArn] = "arn:aws:ecs:eu-west-1:111122223333:task-definition/old:1",
                [AsffProductFields.RoleSlot] = "execution", [AsffProductFields.Source] = "inline policy app",
            }
            : new Dictionary<string, string>())
    {
        SeverityLabel = "HIGH",
        Description = "Execution role old-execution grants s3:GetObject. Where: inline policy app.",
    };
}
