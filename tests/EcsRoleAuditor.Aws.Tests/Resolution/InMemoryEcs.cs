using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.Aws.Tests.Resolution;

/// <summary>ECS task definitions in memory: describe (with or without tags) and the two listings, in small pages; errors as ECS sends them.</summary>
internal sealed class InMemoryEcs : IEcsApi
{
    private const string Prefix = "arn:aws:ecs:eu-west-1:111122223333:task-definition/";

    /// <summary>family → revision → (the describe-task-definition output, active).</summary>
    public SortedDictionary<string, SortedDictionary<int, (JsonObject Body, bool Active)>> Families { get; } = new(StringComparer.Ordinal);

    public int PageSize { get; init; } = 2;

    public ConcurrentQueue<string> Calls { get; } = new();

    public Dictionary<string, string> Faults { get; } = [];

    public static InMemoryEcs Demo()
    {
        var ecs = new InMemoryEcs();
        foreach (var item in JsonNode.Parse(File.ReadAllText(InMemoryIamAccount.DemoFile("task-definitions.json")))!.AsArray())
        {
            var definition = item!["taskDefinition"]!;
            ecs.Add(definition["family"]!.GetValue<string>(), definition["revision"]!.GetValue<int>(), item.AsObject(), active: true);
        }
        return ecs;
    }

    public void Add(string family, int revision, JsonObject body, bool active)
    {
        if (!Families.TryGetValue(family, out var revisions))
        {
            Families[family] = revisions = [];
        }
        revisions[revision] = (body, active);
    }

    public Task<string> DescribeTaskDefinitionAsync(string taskDefinition, bool includeTags, CancellationToken cancellationToken)
    {
        Enter("ecs:DescribeTaskDefinition", taskDefinition);
        var reference = taskDefinition.StartsWith(Prefix, StringComparison.Ordinal) ? taskDefinition[Prefix.Length..] : taskDefinition;
        var parts = reference.Split(':');
        if (Families.TryGetValue(parts[0], out var revisions))
        {
            var found = parts.Length == 2
                ? revisions.TryGetValue(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), out var exact) ? exact.Body : null
                : revisions.Where(r => r.Value.Active).Select(r => r.Value.Body).LastOrDefault();
            if (found is not null)
            {
                var body = (JsonObject)found.DeepClone();
                if (!includeTags)
                {
                    body.Remove("tags");
                }
                return Task.FromResult(body.ToJsonString());
            }
        }
        throw InMemoryIamAccount.Error("ClientException", HttpStatusCode.BadRequest, "Unable to describe task definition.");
    }

    public Task<Page<string>> ListTaskDefinitionsAsync(TaskDefinitionListFilter filter, string? nextToken, CancellationToken cancellationToken)
    {
        Enter("ecs:ListTaskDefinitions", filter.FamilyPrefix ?? "*");
        var arns = Families
            .Where(f => filter.FamilyPrefix is null || f.Key == filter.FamilyPrefix)
            .SelectMany(f => f.Value.Where(r => r.Value.Active == (filter.Status == TaskDefinitionStatus.Active)).Select(r => (Family: f.Key, Revision: r.Key)))
            .OrderBy(r => r.Family, StringComparer.Ordinal).ThenBy(r => filter.Descending ? -r.Revision : r.Revision)
            .Select(r => $"{Prefix}{r.Family}:{r.Revision}")
            .ToList();
        return Task.FromResult(Paged(arns, nextToken));
    }

    public Task<Page<string>> ListTaskDefinitionFamiliesAsync(string? familyPrefix, TaskDefinitionStatus status, string? nextToken, CancellationToken cancellationToken)
    {
        Enter("ecs:ListTaskDefinitionFamilies", familyPrefix ?? "*");
        var families = Families
            .Where(f => familyPrefix is null || f.Key.StartsWith(familyPrefix, StringComparison.Ordinal))
            .Where(f => status == TaskDefinitionStatus.All || f.Value.Values.Any(r => r.Active == (status == TaskDefinitionStatus.Active)))
            .Select(f => f.Key)
            .ToList();
        return Task.FromResult(Paged(families, nextToken));
    }

    private void Enter(string operation, string resource)
    {
        Calls.Enqueue($"{operation} {resource}");
        if (Faults.TryGetValue(operation, out var code))
        {
            throw InMemoryIamAccount.Error(code, HttpStatusCode.BadRequest, $"{code} injected");
        }
    }

    private Page<string> Paged(List<string> items, string? token)
    {
        var start = token is null ? 0 : int.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
        var end = Math.Min(items.Count, start + PageSize);
        return new Page<string>(items.GetRange(start, end - start), end < items.Count ? end.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }
}
