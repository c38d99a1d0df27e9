using EcsRoleAuditor.Pipeline;
using System.Text.Json;
using EcsRoleAuditor.EventAudit.Alerts;

namespace EcsRoleAuditor.EventAudit.Tests.Alerts;

/// <summary>Every count an alert writes agrees with its noun and verb: "1 finding is", "2 findings are".</summary>
public sealed class AlertCountsTests
{
    private static Alert Incomplete(int count) =>
        new(AlertKind.Incomplete, [.. Enumerable.Range(1, count).Select(i => new UnfinishedAudit($"web:{i}", "the invocation reached its deadline").ToReport())], SampleAlerts.Scope);

    [Theory]
    [InlineData(1, "1 ECS role violation in task definition web-api:42 (highest: HIGH)")]
    [InlineData(2, "2 ECS role violations in task definition web-api:42 (highest: HIGH)")]
    public void The_headline_counts_violations(int findings, string expected)
    {
        Assert.Equal(expected, AlertHeadline.For(AlertView.Full(SampleAlerts.WithFindings("web-api", 42, findings))));
    }

    [Theory]
    [InlineData(1, "The ECS role audit is incomplete: 1 task definition was not audited (MEDIUM)", "[MEDIUM] ECS role audit incomplete: 1 task definition not audited")]
    [InlineData(2, "The ECS role audit is incomplete: 2 task definitions were not audited (MEDIUM)", "[MEDIUM] ECS role audit incomplete: 2 task definitions not audited")]
    public void An_incomplete_audit_counts_the_task_definitions_it_did_not_audit(int count, string headline, string subject)
    {
        var view = AlertView.Full(Incomplete(count));

        Assert.Equal((headline, subject), (AlertHeadline.For(view), AlertSubject.For(view)));
    }

    [Theory]
    [InlineData(0, "[MEDIUM] ECS role audit incomplete: account 444455556666 in eu-west-1")]
    [InlineData(2, "[MEDIUM] ECS role audit incomplete: account 444455556666 in eu-west-1 and 2 task definitions")]
    public void An_incomplete_audit_names_the_parts_it_could_not_read_and_counts_only_task_definitions(int taskDefinitions, string subject)
    {
        var account = new UnfinishedAudit("account 444455556666 in eu-west-1", "the reader role could not be assumed (AccessDenied)", IsStep: true);
        var tasks = Incomplete(taskDefinitions);
        var alert = tasks with { Reports = [account.ToReport(), .. tasks.Reports], Steps = [account.Reference] };

        Assert.Equal(subject, AlertSubject.For(AlertView.Full(alert)));
    }

    [Theory]
    [InlineData(2, "1 more finding is not shown")]
    [InlineData(3, "2 more findings are not shown")]
    public void The_email_counts_the_findings_it_leaves_out(int findings, string expected)
    {
        var view = AlertView.Shortened(SampleAlerts.WithFindings("web-api", 42, findings), maxFindings: 1, maxListItems: 10);

        Assert.Contains(expected, EmailBody.For(view), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("…and 1 more finding in the email")]
    [InlineData("…and 2 more findings in the email")]
    public void The_chat_notification_counts_the_findings_it_drops(string expected)
    {
        // Findings with long lists fill the description: some number of them leaves exactly one out, and one more two.
        var descriptions = Enumerable.Range(1, 400)
            .Select(count => JsonDocument.Parse(ChatbotNotification.For(AlertView.Full(SampleAlerts.WithFindings("web-api", 42, count, 20))))
                .RootElement.GetProperty("content").GetProperty("description").GetString()!);

        Assert.Contains(descriptions, d => d.Contains(expected, StringComparison.Ordinal));
    }
}
