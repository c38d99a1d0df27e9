using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.EventAudit.Configuration;
using EcsRoleAuditor.EventAudit.Handling;

namespace EcsRoleAuditor.EventAudit.Tests.Handling;

/// <summary>The handler's log lines and metrics, kept in memory.</summary>
internal sealed class RecordingObservability : IAuditLog, IAuditMetrics
{
    public List<(LogLevel Level, string Message, AuditLogFields Fields)> Lines { get; } = [];

    public List<TaskDefinitionReport> Completed { get; } = [];

    public int Incomplete { get; private set; }

    public string AllText => string.Join("\n", Lines.Select(l => l.Message));

    public void Write(LogLevel level, string message, AuditLogFields fields) => Lines.Add((level, message, fields));

    public long AwsApiCalls { get; private set; }

    public void AuditCompleted(TaskDefinitionReport report, TimeSpan duration, long awsApiCalls)
    {
        Completed.Add(report);
        AwsApiCalls += awsApiCalls;
    }

    public void AuditIncomplete(int unfinished, long awsApiCalls)
    {
        Incomplete += unfinished;
        AwsApiCalls += awsApiCalls;
    }

    public int StoreFailures { get; private set; }

    public void FindingsStoreFailed() => StoreFailures++;

    public int AccountsSwept { get; private set; }

    public int AccountsIncomplete { get; private set; }

    public (int Queued, int Failed)? Planned { get; private set; }

    public void AccountSwept(bool complete)
    {
        if (complete)
        {
            AccountsSwept++;
        }
        else
        {
            AccountsIncomplete++;
        }
    }

    public void SweepPlanned(int queued, int failed) => Planned = (queued, failed);
}
