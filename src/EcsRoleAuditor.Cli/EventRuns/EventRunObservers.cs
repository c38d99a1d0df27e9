using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.EventAudit.Handling;

namespace EcsRoleAuditor.Cli.EventRuns;

/// <summary>The handler's log lines on standard error, as plain text, from <paramref name="minimum"/> up.</summary>
internal sealed class StandardErrorAuditLog(TextWriter stderr, LogLevel minimum) : IAuditLog
{
    /// <inheritdoc/>
    public void Write(LogLevel level, string message, AuditLogFields fields)
    {
        if (level >= minimum)
        {
            stderr.WriteLine($"ecs-role-auditor: {level.Name()} {message}");
        }
    }
}

/// <summary>The handler's metrics kept for the command's summary and exit code: every report, and what was left unfinished.</summary>
internal sealed class CollectedAuditMetrics : IAuditMetrics
{
    /// <summary>The task definitions audited, in order.</summary>
    public List<TaskDefinitionReport> Reports { get; } = [];

    /// <summary>How many task definitions the invocation could not finish.</summary>
    public int Incomplete { get; private set; }

    /// <summary>The AWS requests the invocation's run sent, retries included.</summary>
    public long AwsApiCalls { get; private set; }

    /// <inheritdoc/>
    public void AuditCompleted(TaskDefinitionReport report, TimeSpan duration, long awsApiCalls)
    {
        Reports.Add(report);
        AwsApiCalls += awsApiCalls;
    }

    /// <inheritdoc/>
    public void AuditIncomplete(int unfinished, long awsApiCalls)
    {
        Incomplete += unfinished;
        AwsApiCalls += awsApiCalls;
    }

    /// <inheritdoc/>
    /// <remarks>The handler's ERROR line on standard error says so; nothing else to collect.</remarks>
    public void FindingsStoreFailed()
    {
    }
}

/// <summary>One message the handler handed to SNS, and the message id when it was really published.</summary>
internal sealed record HandedMessage(SnsMessage Message, string? MessageId);

/// <summary>
/// The handler's SNS port: keeps every message for printing, and publishes it through <paramref name="publisher"/>
/// when there is one (<c>--publish</c>). Without a publisher nothing leaves the machine.
/// </summary>
internal sealed class HandedMessages(ISnsApi? publisher) : ISnsApi
{
    /// <summary>The messages, in the order the handler published them.</summary>
    public List<HandedMessage> All { get; } = [];

    /// <summary>Whether the messages are really published.</summary>
    public bool Publishing => publisher is not null;

    /// <inheritdoc/>
    public async Task<string> PublishAsync(SnsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (publisher is null)
        {
            All.Add(new HandedMessage(message, null));
            return "not-published";
        }
        var id = await publisher.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        All.Add(new HandedMessage(message, id));
        return id;
    }
}
