using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace EcsRoleAuditor.Audit.Tests.Reporting;

/// <summary>A JSON Schema loaded once from the test output folder, and validation that explains its failures.</summary>
internal sealed class SchemaFile
{
    private readonly JsonSchema _schema;

    private SchemaFile(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Reporting", fileName);
        _schema = JsonSchema.FromText(File.ReadAllText(path));
        Document = JsonNode.Parse(File.ReadAllText(path))!;
    }

    /// <summary>The schema as a document, for tests that compare it with the writer.</summary>
    public JsonNode Document { get; }

    public static SchemaFile AuditReport { get; } = new("audit-report.schema.json");

    public static SchemaFile Sarif { get; } = new("sarif-schema-2.1.0.json");

    public static SchemaFile Asff { get; } = new("asff-finding.schema.json");

    /// <summary>The validation errors of <paramref name="json"/>, as location: message lines; empty when valid.</summary>
    public IReadOnlyList<string> Errors(string json)
    {
        using var document = JsonDocument.Parse(json);
        var results = _schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (results.IsValid)
        {
            return [];
        }
        var errors = (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .ToList();
        return errors.Count > 0 ? errors : ["invalid (no details)"];
    }
}
