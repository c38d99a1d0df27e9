using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>The distinct roles of a task definition with the jobs they do, for rules about the role itself rather than a slot.</summary>
internal static class RoleJobs
{
    /// <summary>
    /// Each found role once (a role named in both slots is one role: its trust policy or its problems are reported once),
    /// with the slot findings name (the first it fills) and its job in words: <c>task role</c>, <c>execution role</c> or
    /// <c>task role and execution role</c>.
    /// </summary>
    public static IEnumerable<(AuditedRole Role, string Job)> DistinctRoles(this AuditContext context) =>
        context.Roles
            .GroupBy(r => r.Role.Arn, StringComparer.OrdinalIgnoreCase)
            .Select(g => (g.First(), string.Join(" and ", g.Select(r => JobOf(r.Slot)))));

    /// <summary>
    /// "Create a role for FAMILY trusting ecs-tasks.amazonaws.com with only the permissions the JOB needs (the trust
    /// policy: …), and register a revision whose FIELDS names it": the way out for a slot no existing role can fill.
    /// </summary>
    public static string CreateRoleFor(TaskDefinition definition, string? roleReference, string job, string fields) =>
        $"Create a role for {definition.Family} trusting ecs-tasks.amazonaws.com with only the permissions the {job} needs "
        + $"(the trust policy: {EcsAssumeRoleRequest.For(definition, roleReference).RecommendedTrust}), and register a revision whose {fields} names it";

    /// <summary>The slot in words: <c>task role</c> or <c>execution role</c>.</summary>
    public static string JobOf(RoleSlot slot) => slot switch
    {
        RoleSlot.Task => "task role",
        RoleSlot.Execution => "execution role",
        _ => "role",
    };
}
