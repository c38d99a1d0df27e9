using System.Text.Json.Nodes;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Dynalite;

/// <summary>
/// The findings table as template.yaml declares it (resource <c>StateTable</c>): the parts CreateTable takes, so the table
/// the tests write to and the one CloudFormation creates cannot drift apart.
/// </summary>
public static class FindingsTableTemplate
{
    /// <summary>The logical id of the table in template.yaml.</summary>
    public const string LogicalId = "StateTable";

    private static readonly string[] CreateTableProperties = ["KeySchema", "AttributeDefinitions", "GlobalSecondaryIndexes", "BillingMode"];

    /// <summary>template.yaml's <c>StateTable</c> properties (all of them, as written).</summary>
    public static JsonObject Declared { get; } =
        CloudFormationYaml.Read(Path.Combine(RepositoryPaths.Root, "template.yaml"))["Resources"]![LogicalId]!["Properties"]!.AsObject();

    /// <summary>The names of the global secondary indexes, e.g. <c>ByAccount</c>.</summary>
    public static IReadOnlyList<string> IndexNames =>
        [.. Declared["GlobalSecondaryIndexes"]?.AsArray().Select(i => i!["IndexName"]!.GetValue<string>()) ?? []];

    /// <summary>The CreateTable request body for a table named <paramref name="tableName"/>.</summary>
    public static JsonObject CreateTableRequest(string tableName)
    {
        var request = new JsonObject { ["TableName"] = tableName };
        foreach (var property in CreateTableProperties)
        {
            if (Declared[property] is { } value)
            {
                request[property] = value.DeepClone();
            }
        }
        return request;
    }
}
