using System.Collections.Immutable;
using System.Text.Json;
using EcsRoleAuditor.Audit;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Offline;
using EcsRoleAuditor.InfrastructureCode.CloudFormation;
using EcsRoleAuditor.InfrastructureCode.Declared;
using EcsRoleAuditor.Pipeline;

namespace EcsRoleAuditor.InfrastructureCode.Tests.CloudFormation;

/// <summary>Templates audited as <c>audit --cloudformation</c> audits them: read, built into an account, through the offline pipeline.</summary>
internal static class TemplateAudit
{
    public static readonly CloudFormationOptions Ireland = new("111122223333", "eu-west-1", null, ImmutableDictionary<string, string>.Empty);

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Templates", name);

    public static DeclaredResources Read(string name, CloudFormationOptions? options = null) =>
        CloudFormationReader.Read(File.ReadAllText(PathOf(name)), name, options ?? Ireland);

    public static DeclaredResources ReadText(string text, CloudFormationOptions? options = null) =>
        CloudFormationReader.Read(text, "template.yaml", options ?? Ireland);

    public static async Task<(IReadOnlyList<TaskDefinitionReport> Reports, DeclaredAccount Account)> AuditAsync(DeclaredResources declared, RecordedIam? export = null)
    {
        var account = DeclaredAccount.Build([declared], export);
        var reports = await AuditAsync(account.Iam, account.TaskDefinitions);
        return (reports, account);
    }

    public static async Task<IReadOnlyList<TaskDefinitionReport>> AuditAsync(RecordedIam iam, IReadOnlyList<TaskDefinition> definitions)
    {
        var outcome = await new AuditPipeline(AuditSources.Recorded(new RecordedEcs(), iam), Auditor.WithAllRules([]))
            .RunAsync(new AuditTargets.Named([.. definitions.Select(d => new TaskDefinitionTarget(d.Arn ?? d.DisplayName, d))]), sink: null, CancellationToken.None);
        return outcome.AllReports;
    }

    /// <summary>An account as the AWS CLI prints it once deployed: get-account-authorization-details and describe-task-definition.</summary>
    public static Task<IReadOnlyList<TaskDefinitionReport>> AuditDeployedAsync(string iamFile, string taskDefinitionFile)
    {
        using var iam = JsonDocument.Parse(File.ReadAllText(PathOf(iamFile)));
        using var definitions = JsonDocument.Parse(File.ReadAllText(PathOf(taskDefinitionFile)));
        return AuditAsync(RecordedIam.Read(iam.RootElement, iamFile), TaskDefinitionReader.Read(definitions.RootElement, taskDefinitionFile));
    }

    /// <summary>What a finding says independent of the names only deployment gives (revision, a secret's suffix).</summary>
    public static string Shape(Finding f) => $"{f.Rule.Id} {f.Severity} {f.RoleSlot} {f.Source.Kind} {f.Source.Name} {f.Statement} [{string.Join(",", f.Actions)}]";
}
