using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.EventAudit.Alerts;
using EcsRoleAuditor.EventAudit.Tests.Handling;

namespace EcsRoleAuditor.EventAudit.Tests.Alerts;

public sealed class AlertComposerTests
{
    [Fact]
    public void A_small_alert_is_sent_whole_with_the_report_json_as_default_body()
    {
        var alert = SampleAlerts.WithFindings("web-api", 42, 3);

        var message = AlertComposer.Compose(alert, DemoAccount.TopicArn);

        var (report, email, _) = HandlerFixture.Bodies(message);
        Assert.Equal(AlertComposer.ReportJson(AlertView.Full(alert)), JsonDocument.Parse(message.Message).RootElement.GetProperty("default").GetString());
        Assert.Equal(3, report.GetProperty("reports")[0].GetProperty("findings").GetArrayLength());
        Assert.DoesNotContain("not shown", email, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3000, 2, "[HIGH] 3,000 ECS role violations in web-api:42")]
    [InlineData(40, 20_000, "[HIGH] 40 ECS role violations in web-api:42")]
    [InlineData(1, 200_000, "[HIGH] 1 ECS role violation in web-api:42")]
    public void A_huge_alert_is_summarised_under_the_sns_limit_never_dropped(int findings, int listLength, string subject)
    {
        var alert = SampleAlerts.WithFindings("web-api", 42, findings, listLength);

        var message = AlertComposer.Compose(alert, DemoAccount.TopicArn);

        Assert.InRange(AlertComposer.SizeOf(message), 1, AlertComposer.MaxMessageBytes);
        Assert.Equal(subject, message.Subject);
        var (report, email, chat) = HandlerFixture.Bodies(message);
        var shown = report.GetProperty("reports")[0].GetProperty("findings").GetArrayLength();
        if (shown < findings)
        {
            Assert.Contains($"{findings - shown:N0} more finding", email, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("lists are cut", email, StringComparison.Ordinal);
        }
        Assert.InRange(chat.GetProperty("content").GetProperty("description").GetString()!.Length, 1, ChatbotNotification.MaxDescriptionLength);
        Assert.Equal("HIGH", message.Attributes["severity"].Value);
    }

    [Fact]
    public void A_name_near_the_limit_by_itself_is_cut_so_the_alert_still_goes_out()
    {
        // An execution role ARN of 300,000 characters: even the counts alone repeat it in three bodies.
        var huge = "arn:aws:iam::111122223333:role/" + new string('x', 300_000);
        var alert = SampleAlerts.WithFindings("web-api", 42, 2);
        alert = alert with { Reports = [alert.Reports[0] with { ExecutionRoleArn = huge }] };

        var message = AlertComposer.Compose(alert, DemoAccount.TopicArn);

        Assert.InRange(AlertComposer.SizeOf(message), 1, AlertComposer.MaxMessageBytes);
        Assert.Equal("[HIGH] 2 ECS role violations in web-api:42", message.Subject);
        var (report, email, _) = HandlerFixture.Bodies(message);
        Assert.Equal(huge[..2048] + "...", report.GetProperty("reports")[0].GetProperty("executionRoleArn").GetString());
        Assert.Contains("2 more findings", email, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_from_input_reach_the_email_escaped()
    {
        var alert = SampleAlerts.WithFindings("web-api", 42, 1);
        alert = alert with { Reports = [alert.Reports[0] with { TaskRoleArn = "arn:aws:iam::111122223333:role/app\u202etxt.exe\u001b[2J" }] };

        var (_, email, _) = HandlerFixture.Bodies(AlertComposer.Compose(alert, DemoAccount.TopicArn));

        Assert.DoesNotContain('\u202e', email);
        Assert.DoesNotContain('\u001b', email);
        Assert.Contains("app\\u202etxt.exe\\x1b[2J", email, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_from_input_reach_the_chat_notification_escaped()
    {
        // AWS Chatbot renders the decoded text in Slack: a right-to-left override there reorders the line for the reader.
        var alert = SampleAlerts.WithFindings("web-api", 42, 1);
        var finding = alert.Reports[0].Findings[0];
        alert = alert with { Reports = [alert.Reports[0] with { Findings = [finding with { Message = "Role app\u202etxt.exe\U000E0041 allows it." }] }] };

        var (_, _, chat) = HandlerFixture.Bodies(AlertComposer.Compose(alert, DemoAccount.TopicArn));

        var description = chat.GetProperty("content").GetProperty("description").GetString()!;
        Assert.DoesNotContain('\u202e', description);
        Assert.Contains("app\\u202etxt.exe\\U000e0041", description, StringComparison.Ordinal);
        Assert.Contains('\n', description);
    }

    [Fact]
    public void The_size_counts_the_attributes_too()
    {
        var message = AlertComposer.Compose(SampleAlerts.WithFindings("web-api", 42, 1), DemoAccount.TopicArn);

        Assert.True(AlertComposer.SizeOf(message) > System.Text.Encoding.UTF8.GetByteCount(message.Message) + message.Subject!.Length);
    }

    [Fact]
    public void A_tight_budget_shortens_step_by_step_down_to_the_counts()
    {
        var alert = SampleAlerts.WithFindings("web-api", 42, 64, 50);
        var whole = AlertComposer.SizeOf(AlertComposer.Compose(alert, DemoAccount.TopicArn));

        var sizes = new[] { whole / 2, whole / 8, 12_000 }.Select(budget => AlertComposer.Compose(alert, DemoAccount.TopicArn, budget)).ToList();

        Assert.All(sizes.Zip(new[] { whole / 2, whole / 8, 12_000 }), pair => Assert.InRange(AlertComposer.SizeOf(pair.First), 1, pair.Second));
        var shown = sizes.Select(m => HandlerFixture.Bodies(m).Default.GetProperty("reports")[0].GetProperty("findings").GetArrayLength()).ToList();
        Assert.Equal(shown.OrderDescending(), shown);
    }

    [Fact]
    public void Chat_notification_keeps_to_its_limits()
    {
        var alert = SampleAlerts.WithFindings("web-api", 42, 300);

        var chat = JsonDocument.Parse(ChatbotNotification.For(AlertView.Full(alert))).RootElement.GetProperty("content");

        Assert.InRange(chat.GetProperty("description").GetString()!.Length, 1, ChatbotNotification.MaxDescriptionLength);
        Assert.Contains("more findings in the email", chat.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.InRange(chat.GetProperty("nextSteps").GetArrayLength(), 1, ChatbotNotification.MaxNextSteps);
        Assert.InRange(chat.GetProperty("keywords").GetArrayLength(), 1, ChatbotNotification.MaxKeywords);
    }

    [Fact]
    public void Attributes_rank_the_highest_severity_and_list_each_rule_once()
    {
        var alert = SampleAlerts.WithFindings("web-api", 42, 5) is var a
            ? a with { Reports = [a.Reports[0] with { Findings = [.. a.Reports[0].Findings, SampleAlerts.Finding(9, severity: Severity.Critical)] }] }
            : a;

        var attributes = AlertAttributes.For(alert);

        Assert.Equal(("CRITICAL", "4"), (attributes["severity"].Value, attributes["severityRank"].Value));
        Assert.Equal("[\"ERA020\",\"ERA043\"]", attributes["ruleIds"].Value);
    }
}
