using EcsRoleAuditor.Lambda.Hosting;
using EcsRoleAuditor.Lambda.Observability;

namespace EcsRoleAuditor.Lambda.Tests.Hosting;

public sealed class RuntimeErrorReportTests
{
    [Fact]
    public void An_exception_message_quoting_megabytes_of_the_event_is_reported_cut_with_a_marker()
    {
        var exception = new InvalidOperationException("Could not audit " + new string('a', 5 * 1024 * 1024));

        var report = RuntimeErrorReport.FromException(exception, SensitiveValues.None);

        Assert.True(report.ErrorMessage.Length < 1024, $"{report.ErrorMessage.Length:N0} characters");
        Assert.StartsWith("Could not audit aaaa", report.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("…[truncated ", report.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(nameof(InvalidOperationException), report.ErrorType);
    }
}
