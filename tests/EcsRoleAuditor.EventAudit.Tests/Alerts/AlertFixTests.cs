using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.EventAudit.Alerts;
using EcsRoleAuditor.EventAudit.Tests.Handling;

namespace EcsRoleAuditor.EventAudit.Tests.Alerts;

/// <summary>The fix command in the alert bodies: only for findings fix settles, quoted, escaped, and never cut.</summary>
public sealed class AlertFixTests
{
    private const string Lead = "Write the least-privilege execution role";

    [Fact]
    public void A_task_role_only_breadth_finding_names_no_fix_command()
    {
        // fix writes the execution role only: a broad task role stays as it is.
        var alert = SampleAlerts.WithFindings("web-api", 42, 0);
        var onTaskRole = SampleAlerts.Finding(1) with { Rule = ServiceWideWildcardRule.Rule, RoleSlot = RoleSlot.Task, RoleArn = "arn:aws:iam::111122223333:role/web-api-task" };
        alert = alert with { Reports = [alert.Reports[0] with { Findings = [onTaskRole] }] };

        Assert.Null(AlertFix.For(alert, definition: null, readerRoleName: null));
        var (_, email, chat) = HandlerFixture.Bodies(AlertComposer.Compose(alert with { Fix = AlertFix.For(alert, null, null) }, DemoAccount.TopicArn));
        Assert.DoesNotContain(Lead, email, StringComparison.Ordinal);
        Assert.DoesNotContain(Lead, chat.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_breadth_finding_on_the_execution_role_names_it_without_a_policy_when_the_task_definition_is_not_at_hand()
    {
        var alert = SampleAlerts.WithFindings("web-api", 42, 0);
        var onExecutionRole = SampleAlerts.Finding(1) with { Rule = ServiceWideWildcardRule.Rule };
        alert = alert with { Reports = [alert.Reports[0] with { Findings = [onExecutionRole] }] };

        var fix = AlertFix.For(alert, definition: null, readerRoleName: null);

        Assert.Equal(new AlertFix("ecs-role-auditor fix --live --task-definition web-api:42 --region eu-west-1", null), fix);
        var (_, email, _) = HandlerFixture.Bodies(AlertComposer.Compose(alert with { Fix = fix }, DemoAccount.TopicArn));
        Assert.Contains($"\n{Lead}: ecs-role-auditor fix --live --task-definition web-api:42 --region eu-west-1\n\n", email, StringComparison.Ordinal);
        Assert.DoesNotContain("Its policy", email, StringComparison.Ordinal);
    }

    [Fact]
    public void A_family_with_shell_and_control_characters_is_quoted_and_shown_escaped()
    {
        const string Family = "web $(touch pwned)'s\u001b[2J";
        var alert = SampleAlerts.WithFindings(Family, 3, 1);

        var fix = AlertFix.For(alert, definition: null, readerRoleName: null)!;
        var (_, email, chat) = HandlerFixture.Bodies(AlertComposer.Compose(alert with { Fix = fix }, DemoAccount.TopicArn));

        Assert.Equal("ecs-role-auditor fix --live --task-definition 'web $(touch pwned)'\\''s\u001b[2J:3' --region eu-west-1", fix.Command);
        Assert.Contains($"{Lead}: ecs-role-auditor fix --live --task-definition 'web $(touch pwned)'\\''s\\x1b[2J:3' --region eu-west-1\n", email, StringComparison.Ordinal);
        Assert.Equal($"{Lead}: `ecs-role-auditor fix --live --task-definition 'web $(touch pwned)'\\''s\\x1b[2J:3' --region eu-west-1`",
            chat.GetProperty("content").GetProperty("nextSteps")[0].GetString());
    }

    [Fact]
    public void A_command_too_long_for_a_chat_next_step_is_left_to_the_email_never_cut()
    {
        var family = new string('f', 255);
        var alert = SampleAlerts.WithFindings(family, 3, 1);
        var fix = AlertFix.For(alert, definition: null, readerRoleName: "EcsRoleAuditorReader")!;

        var (_, email, chat) = HandlerFixture.Bodies(AlertComposer.Compose(alert with { Fix = fix }, DemoAccount.TopicArn));

        Assert.EndsWith("--assume-role arn:aws:iam::111122223333:role/EcsRoleAuditorReader", fix.Command, StringComparison.Ordinal);
        Assert.Contains($"{Lead}: {fix.Command}\n", email, StringComparison.Ordinal);
        Assert.DoesNotContain(Lead, chat.GetRawText(), StringComparison.Ordinal);
    }
}
