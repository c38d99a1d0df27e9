using EcsRoleAuditor.Audit.Model;

namespace EcsRoleAuditor.EventAudit.Events;

/// <summary>What an invocation asks the auditor to do, as <see cref="EventClassifier"/> reads it from the event.</summary>
internal abstract record AuditEvent
{
    private AuditEvent(string name) => Name = name;

    /// <summary>The event's name for logs: the CloudTrail <c>eventName</c>, <c>Scheduled Event</c>, <c>DirectInvocation</c>...</summary>
    public string Name { get; }

    /// <summary>
    /// The account and region a CloudTrail event comes from (the envelope's <c>account</c> and <c>region</c>), when both
    /// are well formed; organization mode audits there. Null for the schedule and direct invocations.
    /// </summary>
    public EventOrigin? Origin { get; init; }

    /// <summary>A task definition was registered. <paramref name="Definition"/> is null when the event did not carry it
    /// (CloudTrail drops large <c>responseElements</c>): then <paramref name="Reference"/> is described.</summary>
    public sealed record TaskDefinitionRegistered(TaskDefinition? Definition, string Reference) : AuditEvent("RegisterTaskDefinition");

    /// <summary>A task definition revision was deregistered: the family's newest ACTIVE revision is listed again.</summary>
    /// <param name="Family">The family.</param>
    /// <param name="Revision">The revision deregistered.</param>
    public sealed record TaskDefinitionDeregistered(string Family, int Revision) : AuditEvent(HandledEventNames.DeregisterTaskDefinition);

    /// <summary>RunTask or StartTask swapped a role at run time: audit the task definition with the roles it ran with.</summary>
    /// <param name="EventName">RunTask or StartTask.</param>
    /// <param name="TaskDefinition">The task definition (ARN, <c>family:revision</c> or family).</param>
    /// <param name="TaskRoleOverride"><c>overrides.taskRoleArn</c>, or null.</param>
    /// <param name="ExecutionRoleOverride"><c>overrides.executionRoleArn</c>, or null.</param>
    public sealed record TaskStartedWithRoleOverrides(string EventName, string TaskDefinition, string? TaskRoleOverride, string? ExecutionRoleOverride) : AuditEvent(EventName);

    /// <summary>
    /// TagResource or UntagResource added or removed <c>ecs-role-auditor:suppress</c> on a task definition: re-audit the
    /// family's newest ACTIVE revision (a tag put on an old revision must not make the auditor alert an old revision).
    /// </summary>
    /// <param name="EventName">TagResource or UntagResource.</param>
    /// <param name="Family">The tagged task definition's family.</param>
    public sealed record SuppressionTagChanged(string EventName, string Family) : AuditEvent(EventName);

    /// <summary>An IAM call changed a role, its policies or its tags: re-audit the ACTIVE task definitions that use it.</summary>
    public sealed record RoleChanged(string EventName, string RoleName) : AuditEvent(EventName);

    /// <summary>A managed policy's default version changed: re-audit the task definitions whose roles have it attached (or as boundary).</summary>
    public sealed record ManagedPolicyChanged(string EventName, string PolicyArn) : AuditEvent(EventName);

    /// <summary>
    /// The schedule fired: sweep every ACTIVE task definition family. In organization mode the schedule's event (no
    /// <see cref="AuditEvent.Origin"/>) plans the sweep, and each SQS message it sends is one of these with the account and region to sweep.
    /// </summary>
    public sealed record SweepRequested() : AuditEvent("Scheduled Event");

    /// <summary>SQS delivered organization mode's sweep messages: each record is one account and region to sweep.</summary>
    /// <param name="Records">The records, in delivery order.</param>
    public sealed record SweepBatch(System.Collections.Immutable.ImmutableArray<SweepRecord> Records) : AuditEvent(BatchName)
    {
        /// <summary>The <see cref="AuditEvent.Name"/> of SQS batches.</summary>
        public const string BatchName = "SweepMessages";
    }

    /// <summary>A direct invocation <c>{"taskDefinition": "family:revision" | "arn"}</c>: the response is the JSON report.</summary>
    public sealed record DirectAudit(string TaskDefinition) : AuditEvent(InvocationName)
    {
        /// <summary>The <see cref="AuditEvent.Name"/> of direct invocations, audited or not.</summary>
        public const string InvocationName = "DirectInvocation";
    }

    /// <summary>Nothing to do: an unrelated event, a failed API call, a malformed payload. Logged and acknowledged.</summary>
    /// <param name="EventName">The event's name as far as it could be read.</param>
    /// <param name="Reason">Why nothing is done, for the log (never quotes the payload).</param>
    public sealed record Ignored(string EventName, string Reason) : AuditEvent(EventName);
}

/// <summary>Where an event happened: EventBridge's envelope fields <c>account</c> ("the 12-digit number identifying an
/// AWS account") and <c>region</c> ("the AWS Region where the event originated"), EventBridge User Guide, "Event structure reference".</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Region">The region.</param>
internal sealed record EventOrigin(string AccountId, string Region);
