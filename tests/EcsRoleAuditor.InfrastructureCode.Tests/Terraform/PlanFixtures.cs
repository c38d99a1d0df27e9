using System.Text.Json;
using System.Text.Json.Nodes;
using EcsRoleAuditor.Audit;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Aws.Offline;
using EcsRoleAuditor.InfrastructureCode.Declared;
using EcsRoleAuditor.InfrastructureCode.Terraform;
using EcsRoleAuditor.Pipeline;

namespace EcsRoleAuditor.InfrastructureCode.Tests.Terraform;

/// <summary>The hand-written plans under Plans/ (as <c>terraform show -json</c> prints them), read and audited as the offline command audits files.</summary>
internal static class PlanFixtures
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Terraform", "Plans", name);

    /// <summary>A plan file read as every input file is (size cap, strict UTF-8 and keys), then by the Terraform reader.</summary>
    public static DeclaredResources Read(string name, TerraformPlanOptions? options = null) =>
        ReadText(File.ReadAllText(PathOf(name)), name, options);

    public static DeclaredResources ReadText(string json, string source, TerraformPlanOptions? options = null)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        using var document = JsonInput.Parse(JsonInput.ReadCapped(stream, source, "the Terraform plan"), source, new JsonDocumentOptions { MaxDepth = 256 });
        return TerraformPlanReader.Read(document.RootElement, source, options ?? new TerraformPlanOptions());
    }

    /// <summary>A fixture as a JSON tree, to change one value for a test.</summary>
    public static JsonNode Node(string name) => JsonNode.Parse(File.ReadAllText(PathOf(name)))!;

    /// <summary>The resource change at <paramref name="address"/> in a plan tree.</summary>
    public static JsonNode Change(JsonNode plan, string address) =>
        plan["resource_changes"]!.AsArray().Single(c => (string?)c!["address"] == address)!["change"]!;

    /// <summary>Audits the declarations with the offline command's pipeline: the declared account's task definitions, IAM from the declarations.</summary>
    public static async Task<IReadOnlyList<TaskDefinitionReport>> Audit(DeclaredResources declared)
    {
        var account = DeclaredAccount.Build([declared], export: null);
        var targets = new AuditTargets.Named([.. account.TaskDefinitions.Select(d => new TaskDefinitionTarget(d.Arn ?? d.DisplayName, d))]);
        var outcome = await new AuditPipeline(AuditSources.Recorded(new RecordedEcs(), account.Iam), Auditor.WithAllRules([]))
            .RunAsync(targets, sink: null, CancellationToken.None);
        return outcome.AllReports;
    }
}
