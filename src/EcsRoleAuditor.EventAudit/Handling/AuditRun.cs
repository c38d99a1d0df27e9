using System.Diagnostics;
using EcsRoleAuditor.Audit;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.EventAudit.Alerts;
using EcsRoleAuditor.EventAudit.Configuration;
using EcsRoleAuditor.EventAudit.Events;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>
/// One invocation's work: which task definitions the event concerns, auditing each, publishing each alert as soon as
/// it is known, and, when the deadline or an error stops an audit, remembering what was left undone.
/// </summary>
internal sealed class AuditRun(AuditorSettings settings, AuditDependencies dependencies, Auditor auditor, AuditEvent auditEvent, AlertScope fallbackScope, InvocationDeadline deadline) : IDisposable
{
    private readonly TaskDefinitionSource _taskDefinitions = new(dependencies.Ecs);
    private readonly IRoleDirectory _roles = dependencies.Roles.Create(auditEvent is AuditEvent.SweepRequested ? RoleDirectoryScope.Sweep : RoleDirectoryScope.FewTaskDefinitions);

    public List<TaskDefinitionReport> Reports { get; } = [];

    public List<UnfinishedAudit> Unfinished { get; } = [];

    public int AlertsPublished { get; private set; }

    public async Task ExecuteAsync()
    {
        switch (auditEvent)
        {
            case AuditEvent.TaskDefinitionRegistered registered:
                await AuditEachAsync([new Target(registered.Reference, registered.Definition)]).ConfigureAwait(false);
                break;
            case AuditEvent.TaskStartedWithRoleOverrides started:
                await AuditEachAsync([new Target(started.TaskDefinition, null, started.TaskRoleOverride, started.ExecutionRoleOverride)]).ConfigureAwait(false);
                break;
            case AuditEvent.DirectAudit direct:
                await AuditEachAsync([new Target(direct.TaskDefinition, null)]).ConfigureAwait(false);
                break;
            case AuditEvent.RoleChanged changed:
                await AuditActiveAsync([changed.RoleName]).ConfigureAwait(false);
                break;
            case AuditEvent.ManagedPolicyChanged policy:
                await AuditPolicyUsersAsync(policy.PolicyArn).ConfigureAwait(false);
                break;
            case AuditEvent.SweepRequested:
                await AuditActiveAsync(null).ConfigureAwait(false);
                break;
        }
    }

    public async Task PublishAsync(Alert alert)
    {
        var message = AlertComposer.Compose(alert, settings.AlertTopicArn);
        // Publish failures are not caught: the invocation fails, Lambda retries, and the dead-letter queue keeps the event.
        await dependencies.Sns.PublishAsync(message, deadline.Publish).ConfigureAwait(false);
        AlertsPublished++;
        Log(LogLevel.Info, $"Published the alert \"{message.Subject}\".", new AuditLogFields(auditEvent.Name, alert.Family));
    }

    private async Task AuditPolicyUsersAsync(string policyArn)
    {
        IReadOnlyList<string> roles;
        try
        {
            roles = await dependencies.PolicyUsers.RolesUsingAsync(policyArn, deadline.Audit).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.Audit.IsCancellationRequested)
        {
            Unfinished.Add(new UnfinishedAudit($"the task definitions whose roles use {policyArn}", "the invocation reached its deadline while finding the roles"));
            return;
        }
        catch (Exception e) when (AwsFailure.IsAwsError(e))
        {
            var failure = AwsFailure.From(e, AwsActions.GetAccountAuthorizationDetails, policyArn);
            Unfinished.Add(new UnfinishedAudit($"the task definitions whose roles use {policyArn}", $"GetAccountAuthorizationDetails failed ({Describe(failure)})"));
            return;
        }
        if (roles.Count == 0)
        {
            Log(LogLevel.Info, $"No role has {policyArn} attached or as boundary: nothing to audit.", new AuditLogFields(auditEvent.Name));
            return;
        }
        await AuditActiveAsync(roles).ConfigureAwait(false);
    }

    // Every ACTIVE task definition, or only those whose task or execution role is one of roleNames.
    private async Task AuditActiveAsync(IReadOnlyList<string>? roleNames)
    {
        TaskDefinitionListing listing;
        try
        {
            listing = settings.SweepAllRevisions
                ? await _taskDefinitions.ListAllActiveAsync(deadline.Audit).ConfigureAwait(false)
                : await _taskDefinitions.ListLatestActiveAsync(deadline.Audit).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.Audit.IsCancellationRequested)
        {
            Unfinished.Add(new UnfinishedAudit("ACTIVE task definitions", "the invocation reached its deadline while listing them"));
            return;
        }
        if (listing.Failure is { } failure)
        {
            Unfinished.Add(new UnfinishedAudit("ACTIVE task definitions", $"listing them failed ({Describe(failure)})"));
            return;
        }
        var arns = listing.Arns;
        Func<TaskDefinition, bool>? uses = roleNames is null
            ? null
            : definition => roleNames.Any(role => RoleMatches(definition.TaskRoleArn, role) || RoleMatches(definition.ExecutionRoleArn, role));
        await AuditEachAsync([.. arns.Select(arn => new Target(arn, null, Filter: uses))]).ConfigureAwait(false);
    }

    private async Task AuditEachAsync(IReadOnlyList<Target> targets)
    {
        for (var i = 0; i < targets.Count; i++)
        {
            try
            {
                await AuditOneAsync(targets[i]).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.Audit.IsCancellationRequested)
            {
                Unfinished.AddRange(targets.Skip(i).Select(t => new UnfinishedAudit(t.Reference, "the invocation reached its deadline before auditing it")));
                Log(LogLevel.Warn, $"Deadline: {FindingFactory.Count(targets.Count - i, "task definition")} not audited.", new AuditLogFields(auditEvent.Name));
                return;
            }
        }
    }

    private async Task AuditOneAsync(Target target)
    {
        var lookup = target.Definition is { } given
            ? new TaskDefinitionLookup.Found(target.Reference, given)
            : await _taskDefinitions.DescribeAsync(target.Reference, deadline.Audit).ConfigureAwait(false);
        if (lookup is TaskDefinitionLookup.Failed failed)
        {
            Unfinished.Add(new UnfinishedAudit(target.Reference, $"DescribeTaskDefinition failed ({Describe(failed.Failure)})"));
            Log(LogLevel.Warn, $"Could not describe {target.Reference}: {Describe(failed.Failure)}.", new AuditLogFields(auditEvent.Name));
            return;
        }
        var definition = ((TaskDefinitionLookup.Found)lookup).Definition;
        if (target.Filter is { } filter && !filter(definition))
        {
            return;
        }
        definition = definition with
        {
            TaskRoleArn = target.TaskRoleOverride ?? definition.TaskRoleArn,
            ExecutionRoleArn = target.ExecutionRoleOverride ?? definition.ExecutionRoleArn,
        };
        var started = Stopwatch.GetTimestamp();
        var report = await auditor.AuditAsync(definition, _roles, deadline.Audit).ConfigureAwait(false);
        var duration = Stopwatch.GetElapsedTime(started);
        Reports.Add(report);
        dependencies.Metrics.AuditCompleted(report, duration);
        LogReport(report, duration);
        if (Alert.ForViolations(report, settings.MinSeverity, AlertScope.FromArn(report.TaskDefinitionArn) ?? fallbackScope) is { } alert)
        {
            await PublishAsync(alert).ConfigureAwait(false);
        }
    }

    private void LogReport(TaskDefinitionReport report, TimeSpan duration)
    {
        var bySeverity = report.ActiveFindings.GroupBy(f => f.Severity.Name()).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Log(LogLevel.Info, $"Audited {report.DisplayName}: {FindingFactory.Count(report.Findings.Length, "finding")}, {report.Findings.Count(f => f.Suppressed)} suppressed.",
            new AuditLogFields(auditEvent.Name, report.Family, bySeverity, (long)duration.TotalMilliseconds));
        foreach (var finding in report.Findings)
        {
            // Every finding is logged, including those alerts leave out (suppressed, below MIN_SEVERITY).
            var status = finding.Suppressed ? $"suppressed ({finding.SuppressionReason})"
                : !Alert.IsAlerted(finding, settings.MinSeverity) ? "below MIN_SEVERITY" : "alerted";
            Log(LogLevel.Info, $"{report.DisplayName}: {finding.RuleId} {finding.Severity.Name()} {status}: {finding.Message}",
                new AuditLogFields(auditEvent.Name, report.Family));
        }
    }

    private void Log(LogLevel level, string message, AuditLogFields fields) => dependencies.Log.Write(level, message, fields);

    private static bool RoleMatches(string? reference, string roleName) =>
        reference is not null && string.Equals(ConsoleLinks.RoleName(reference), roleName, StringComparison.OrdinalIgnoreCase);

    // The error code only: AWS messages can quote request parameters, and nothing from the environment may reach an
    // alert. An answer that could not be read is described by the reader (file-like source and JSON path).
    private static string Describe(AwsFailure failure) =>
        failure.ErrorCode == TaskDefinitionSource.UnexpectedResponse ? failure.Message : failure.ErrorCode;

    private sealed record Target(string Reference, TaskDefinition? Definition, string? TaskRoleOverride = null, string? ExecutionRoleOverride = null, Func<TaskDefinition, bool>? Filter = null);

    /// <summary>Releases the invocation's role directory when it holds resources (the per-role directory's call gate).</summary>
    public void Dispose() => (_roles as IDisposable)?.Dispose();
}
