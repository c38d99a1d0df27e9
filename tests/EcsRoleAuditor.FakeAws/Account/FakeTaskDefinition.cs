using System.Globalization;
using System.Text.Json.Nodes;

namespace EcsRoleAuditor.FakeAws;

/// <summary>
/// An ECS task definition revision of the fake account: the <c>taskDefinition</c> object as DescribeTaskDefinition
/// returns it, plus its tags. Timestamps are kept in ECS's wire form (epoch seconds); ISO 8601 strings, as the AWS CLI
/// prints them, are converted when the definition is created.
/// </summary>
public sealed class FakeTaskDefinition
{
    private static readonly string[] TimestampFields = ["registeredAt", "deregisteredAt"];

    /// <summary>Creates a task definition from its JSON object; <c>family</c> and <c>revision</c> are required.</summary>
    /// <param name="definition">The task definition (taken over, not copied).</param>
    /// <param name="tags">Its tags.</param>
    public FakeTaskDefinition(JsonObject definition, IEnumerable<FakeTag>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Family = definition["family"]?.GetValue<string>() ?? throw new ArgumentException("the task definition has no \"family\"", nameof(definition));
        Revision = definition["revision"]?.GetValue<int>() ?? throw new ArgumentException($"the task definition {Family} has no \"revision\"", nameof(definition));
        Status = definition["status"]?.GetValue<string>() ?? "ACTIVE";
        Arn = definition["taskDefinitionArn"]?.GetValue<string>()
            ?? throw new ArgumentException($"the task definition {Family}:{Revision} has no \"taskDefinitionArn\"", nameof(definition));
        foreach (var field in TimestampFields)
        {
            if (definition[field] is JsonValue value && value.TryGetValue<string>(out var text))
            {
                definition[field] = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() / 1000.0;
            }
        }
        Definition = definition;
        Tags = [.. tags ?? []];
    }

    /// <summary>Builds a minimal task definition (one container) for generated accounts such as benchmarks.</summary>
    /// <param name="accountId">The account id.</param>
    /// <param name="region">The region.</param>
    /// <param name="family">The family.</param>
    /// <param name="revision">The revision.</param>
    /// <param name="taskRoleArn">The task role ARN, or null.</param>
    /// <param name="executionRoleArn">The execution role ARN, or null.</param>
    /// <param name="status"><c>ACTIVE</c> or <c>INACTIVE</c>.</param>
    public static FakeTaskDefinition Create(
        string accountId, string region, string family, int revision, string? taskRoleArn, string? executionRoleArn, string status = "ACTIVE")
    {
        var definition = new JsonObject
        {
            ["taskDefinitionArn"] = $"arn:aws:ecs:{region}:{accountId}:task-definition/{family}:{revision}",
            ["containerDefinitions"] = new JsonArray(new JsonObject
            {
                ["name"] = "app",
                ["image"] = $"{accountId}.dkr.ecr.{region}.amazonaws.com/{family}:latest",
                ["essential"] = true,
            }),
            ["family"] = family,
            ["revision"] = revision,
            ["volumes"] = new JsonArray(),
            ["status"] = status,
            ["registeredAt"] = FakeIds.Epoch.ToUnixTimeSeconds(),
        };
        if (taskRoleArn is not null)
        {
            definition["taskRoleArn"] = taskRoleArn;
        }
        if (executionRoleArn is not null)
        {
            definition["executionRoleArn"] = executionRoleArn;
        }
        return new FakeTaskDefinition(definition);
    }

    /// <summary>The task definition ARN.</summary>
    public string Arn { get; }

    /// <summary>The family.</summary>
    public string Family { get; }

    /// <summary>The revision number.</summary>
    public int Revision { get; }

    /// <summary><c>ACTIVE</c>, <c>INACTIVE</c> or <c>DELETE_IN_PROGRESS</c>.</summary>
    public string Status { get; }

    /// <summary>The <c>taskDefinition</c> object in ECS's wire form.</summary>
    public JsonObject Definition { get; }

    /// <summary>The tags DescribeTaskDefinition returns with <c>include: ["TAGS"]</c>.</summary>
    public IList<FakeTag> Tags { get; }
}
