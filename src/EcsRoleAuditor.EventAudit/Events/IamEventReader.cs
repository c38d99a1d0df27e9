namespace EcsRoleAuditor.EventAudit.Events;

/// <summary>Reads the IAM CloudTrail events that change what a role may do or who may assume it.</summary>
internal static class IamEventReader
{
    public static AuditEvent Read(CloudTrailEvent call)
    {
        if (HandledEventNames.RoleChanges.Contains(call.EventName))
        {
            return call.Request("roleName") is { } role
                ? new AuditEvent.RoleChanged(call.EventName, role)
                : new AuditEvent.Ignored(call.EventName, "the event names no role (no requestParameters.roleName)");
        }
        if (HandledEventNames.ManagedPolicyChanges.Contains(call.EventName))
        {
            if (call.EventName == "CreatePolicyVersion" && !(call.RequestParameters is { } request && JsonValues.IsTrue(request, "setAsDefault")))
            {
                return new AuditEvent.Ignored(call.EventName, "a new version that is not the default changes no role's permissions");
            }
            return call.Request("policyArn") is { } policy
                ? new AuditEvent.ManagedPolicyChanged(call.EventName, policy)
                : new AuditEvent.Ignored(call.EventName, "the event names no policy (no requestParameters.policyArn)");
        }
        return new AuditEvent.Ignored(call.EventName, "an IAM call the auditor does not act on");
    }
}
