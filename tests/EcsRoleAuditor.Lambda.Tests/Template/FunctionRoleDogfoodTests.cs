using System.Collections.Immutable;
using System.Text.Json.Nodes;
using EcsRoleAuditor.Audit;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Policy.Parsing;

namespace EcsRoleAuditor.Lambda.Tests.Template;

public sealed class FunctionRoleDogfoodTests
{
    private static readonly string RoleArn = $"arn:aws:iam::{SamTemplate.Account}:role/{SamTemplate.StackName}-FunctionRole-1ABCDEF";

    [Fact]
    public async Task The_auditors_own_role_has_no_finding_above_low()
    {
        var report = await AuditFunctionRole(SamTemplate.FunctionPolicies);

        Assert.DoesNotContain(report.Findings, f => f.Severity > Severity.Low);
    }

    // Organization mode adds sts:AssumeRole on one role name in every account of the organization.
    [Fact]
    public async Task The_auditors_own_role_in_organization_mode_has_no_finding_above_low()
    {
        var report = await AuditFunctionRole(SamTemplate.FunctionPoliciesWith(("OrganizationId", "o-exampleorg1")));

        Assert.DoesNotContain(report.Findings, f => f.Severity > Severity.Low);
    }

    [Fact]
    public async Task The_same_audit_catches_a_widened_role()
    {
        var widened = SamTemplate.FunctionPolicies;
        widened["audit-reads"]["Statement"]!.AsArray().Add(JsonNode.Parse("""{"Effect":"Allow","Action":"iam:*","Resource":"*"}"""));

        var report = await AuditFunctionRole(widened);

        Assert.Contains(report.Findings, f => f.Severity > Severity.Low);
    }

    // The role as the template defines it, audited by the rules about what a role may do (breadth and escalation):
    // it is not an ECS role, so the rules about task and execution role duties do not apply.
    private static async Task<TaskDefinitionReport> AuditFunctionRole(Dictionary<string, JsonObject> policyDocuments)
    {
        var policies = policyDocuments.Select(p => new RolePolicy(
            new FindingSource(SourceKind.InlinePolicy, p.Key), PolicyParser.Parse(p.Value.ToJsonString(), p.Key))).ToImmutableArray();
        var trust = SamTemplate.Resolve(SamTemplate.Resource("FunctionRole")["Properties"]!["AssumeRolePolicyDocument"])!.ToJsonString();
        var role = new Role(RoleArn, $"{SamTemplate.StackName}-FunctionRole-1ABCDEF", "/",
            new RolePolicy(new FindingSource(SourceKind.TrustPolicy, "trust"), PolicyParser.Parse(trust, "trust", PolicyKind.Resource)),
            policies, null, ImmutableDictionary<string, string>.Empty, []);
        var holder = new TaskDefinition(null, "ecs-role-auditor-function", null, RoleArn, null, [], [], ImmutableDictionary<string, string>.Empty);
        return await new Auditor(BreadthRules.All, []).AuditAsync(holder, new SingleRole(role));
    }

    private sealed class SingleRole(Role role) : IRoleDirectory
    {
        public ValueTask<RoleLookup> FindAsync(string roleReference, CancellationToken cancellationToken) =>
            ValueTask.FromResult<RoleLookup>(roleReference == role.Arn ? new RoleLookup.Found(role) : new RoleLookup.NotFound(roleReference, "not the function role"));
    }
}
