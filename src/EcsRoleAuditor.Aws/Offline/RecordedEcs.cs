using System.Net;
using System.Text.Json;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Offline;

/// <summary>
/// ECS answered from saved <c>aws ecs describe-task-definition</c> outputs (the files the offline audit reads), so the
/// CLI can run the Lambda's handler without AWS. It answers as ECS does: DescribeTaskDefinition takes an ARN,
/// <c>family:revision</c> or a family (its latest ACTIVE revision) and fails with ClientException for anything else;
/// ListTaskDefinitions filters by exact family and status, sorted by family and revision; ListTaskDefinitionFamilies
/// filters by family prefix and status (a family is ACTIVE when one of its revisions is). Every answer is one page.
/// </summary>
public sealed class RecordedEcs : IEcsApi
{
    private readonly List<Recorded> _definitions = [];

    /// <summary>Adds the task definitions of one file: a describe output, a bare task definition, or an array of either.</summary>
    /// <param name="root">The file's JSON.</param>
    /// <param name="source">The file name, for error messages.</param>
    /// <exception cref="InputException">The file is not task definitions, or one has no <c>taskDefinitionArn</c>.</exception>
    public void Add(JsonElement root, string source)
    {
        var definitions = TaskDefinitionReader.Read(root, source);
        var items = root.ValueKind == JsonValueKind.Array ? [.. root.EnumerateArray()] : new[] { root };
        for (var i = 0; i < items.Length; i++)
        {
            var definition = definitions[i];
            var path = root.ValueKind == JsonValueKind.Array ? $"$[{i}]" : "$";
            if (definition.Arn is not { } arn || definition.Revision is not { } revision)
            {
                throw new InputException($"{source}: {path}: {definition.Family} has no taskDefinitionArn and revision; save task definitions with 'aws ecs describe-task-definition' so they can be found by ARN, family:revision or family");
            }
            var wrapped = items[i].TryGetProperty("taskDefinition", out var inner) && inner.ValueKind == JsonValueKind.Object;
            var body = wrapped ? inner : items[i];
            var status = body.TryGetProperty("status", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "ACTIVE";
            // DescribeTaskDefinition answers {"taskDefinition": ..., "tags": [...]}: a bare task definition is wrapped the same way.
            var describeOutput = wrapped ? items[i].GetRawText() : $$"""{"taskDefinition":{{items[i].GetRawText()}}}""";
            _definitions.RemoveAll(d => string.Equals(d.Arn, arn, StringComparison.Ordinal));
            _definitions.Add(new Recorded(arn, definition.Family, revision, status, describeOutput));
        }
    }

    /// <summary>How many task definitions are recorded.</summary>
    public int Count => _definitions.Count;

    /// <summary>The ARNs of the recorded task definitions, in the order they were added.</summary>
    public IEnumerable<string> Arns => _definitions.Select(d => d.Arn);

    /// <inheritdoc/>
    public Task<string> DescribeTaskDefinitionAsync(string taskDefinition, bool includeTags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskDefinition);
        cancellationToken.ThrowIfCancellationRequested();
        var reference = TaskDefinitionReference.Parse(taskDefinition);
        var found = reference.Arn is not null
            ? _definitions.Find(d => string.Equals(d.Arn, taskDefinition, StringComparison.Ordinal))
            : reference.Revision is { } revision
                ? _definitions.Find(d => d.Family == reference.Family && d.Revision == revision)
                : _definitions.Where(d => d.Family == taskDefinition && d.IsActive).MaxBy(d => d.Revision);
        return found is null
            ? throw new AwsServiceException(ServiceDescription.Ecs.ServiceId, "ClientException", HttpStatusCode.BadRequest, "Unable to describe task definition.")
            : Task.FromResult(found.DescribeOutput);
    }

    /// <inheritdoc/>
    public Task<Page<string>> ListTaskDefinitionsAsync(TaskDefinitionListFilter filter, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        cancellationToken.ThrowIfCancellationRequested();
        var selected = _definitions
            .Where(d => (filter.FamilyPrefix is null || d.Family == filter.FamilyPrefix) && d.IsListedAs(filter.Status))
            .OrderBy(d => d.Family, StringComparer.Ordinal).ThenBy(d => d.Revision);
        var arns = (filter.Descending ? selected.Reverse() : selected).Select(d => d.Arn);
        return Task.FromResult(new Page<string>([.. arns], null));
    }

    /// <inheritdoc/>
    public Task<Page<string>> ListTaskDefinitionFamiliesAsync(string? familyPrefix, TaskDefinitionStatus status, string? nextToken, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var families = _definitions
            .Where(d => familyPrefix is null || d.Family.StartsWith(familyPrefix, StringComparison.Ordinal))
            .GroupBy(d => d.Family, StringComparer.Ordinal)
            .Where(g => Matches(g.Any(d => d.IsActive), status))
            .Select(g => g.Key)
            .Order(StringComparer.Ordinal);
        return Task.FromResult(new Page<string>([.. families], null));
    }

    private static bool Matches(bool active, TaskDefinitionStatus status) => status switch
    {
        TaskDefinitionStatus.Active => active,
        TaskDefinitionStatus.Inactive => !active,
        _ => true,
    };

    private sealed record Recorded(string Arn, string Family, int Revision, string Status, string DescribeOutput)
    {
        public bool IsActive => string.Equals(Status, "ACTIVE", StringComparison.Ordinal);

        // ListTaskDefinitions lists a revision under its own status only: a DELETE_IN_PROGRESS revision is not INACTIVE.
        public bool IsListedAs(TaskDefinitionStatus status) => status switch
        {
            TaskDefinitionStatus.Active => IsActive,
            TaskDefinitionStatus.Inactive => string.Equals(Status, "INACTIVE", StringComparison.Ordinal),
            _ => true,
        };
    }
}
