using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Fixes;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.EventAudit.Alerts;

/// <summary>
/// What an alert says about <c>ecs-role-auditor fix</c>: the command that writes the task definition's least-privilege
/// execution role, named when it settles one of the alerted findings (<see cref="FixCoverage"/>), and the policy it
/// writes when that is short enough to read in a message and leaves nothing to decide.
/// </summary>
/// <param name="Command">The command, its arguments quoted for a POSIX shell (<see cref="CommandLines.Fix"/>).</param>
/// <param name="PolicyJson">The identity policy as compact IAM JSON; null when it is long, needs notes, or the task definition was not at hand.</param>
internal sealed record AlertFix(string Command, string? PolicyJson)
{
    /// <summary>
    /// The longest policy an email shows, in characters: a few statements (ECR, logs, a secret or two) fit, and a reader
    /// can still check them in the message; a longer one is for the command's output, where the notes are too.
    /// </summary>
    public const int MaxPolicyLength = 600;

    /// <summary>
    /// The fix of a violations alert or a reminder about <paramref name="definition"/>, or null when <c>fix</c> settles
    /// none of its findings (or the alert is a resolved notice or an incomplete audit). <paramref name="readerRoleName"/>:
    /// organization mode's reader role, which the command assumes in the task definition's account; null for the
    /// function's own account.
    /// </summary>
    public static AlertFix? For(Alert alert, TaskDefinition? definition, string? readerRoleName)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var settles = alert.Reports is [var report] && alert.Kind switch
        {
            AlertKind.Violations => FixCoverage.SettlesAny(report),
            // A stored finding keeps its rule ID and slot; a rule this version no longer has settles nothing.
            AlertKind.Reminder => alert.Stored.Any(f => RuleCatalog.Find(f.RuleId)?.Descriptor is { } rule && FixCoverage.Settles(rule, f.Slot)),
            _ => false,
        };
        if (!settles)
        {
            return null;
        }
        var command = CommandLines.Fix(alert.Reports[0], sourceFile: null, readerRoleName);
        // The notes (an inferred need, a secret without its suffix, a guessed account) are part of the policy: without
        // them it would read as settled when it is not, so such a policy is left to the command's output.
        var written = definition is null || !definition.NeedsKnown(RoleSlot.Execution) ? null : ExecutionRoleFix.For(definition);
        var policy = written is { Notes.IsEmpty: true, PolicyJson: { Length: <= MaxPolicyLength } json } ? json : null;
        return new AlertFix(command, policy);
    }
}
