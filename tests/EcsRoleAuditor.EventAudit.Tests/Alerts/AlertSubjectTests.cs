using CsCheck;
using EcsRoleAuditor.EventAudit.Alerts;

namespace EcsRoleAuditor.EventAudit.Tests.Alerts;

public sealed class AlertSubjectTests
{
    [Fact]
    public void A_violation_subject_names_severity_count_and_task_definition()
    {
        var alert = SampleAlerts.WithFindings("web-api", 42, 3);

        Assert.Equal("[HIGH] 3 ECS role violations in web-api:42", AlertSubject.For(AlertView.Full(alert)));
        Assert.Equal("[HIGH] 1 ECS role violation in web-api:42", AlertSubject.For(AlertView.Full(SampleAlerts.WithFindings("web-api", 42, 1))));
    }

    [Fact]
    public void A_long_family_is_cut_below_one_hundred_characters()
    {
        var subject = AlertSubject.For(AlertView.Full(SampleAlerts.WithFindings(new string('f', 255), 1, 2)));

        // "Constraints: Subjects must be UTF-8 text with no line breaks or control characters, and less than 100
        // characters long." (Amazon SNS API Reference, Publish, Subject.)
        Assert.Equal(99, subject.Length);
        Assert.StartsWith("[HIGH] 2 ECS role violations in fff", subject, StringComparison.Ordinal);
        Assert.EndsWith("...", subject, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("line\r\nbreak\ttab", "line break tab")]
    [InlineData("  caf\u00e9 \u2014 \u0007bell  ", "caf? ? bell")]
    [InlineData("\n\n", "ecs-role-auditor alert")]
    public void Sanitising_keeps_printable_ascii_on_one_line(string text, string expected) =>
        Assert.Equal(expected, AlertSubject.Sanitise(text));

    [Fact]
    public void Any_text_sanitises_to_what_sns_accepts()
    {
        Gen.String.Sample(text =>
        {
            var subject = AlertSubject.Sanitise(text);
            Assert.InRange(subject.Length, 1, AlertSubject.MaxLength);
            Assert.All(subject, c => Assert.InRange(c, ' ', '~'));
            Assert.NotEqual(' ', subject[0]);
        });
    }
}
