using System.Globalization;
using System.Text.Json;
using EcsRoleAuditor.FakeAws.Wire;

namespace EcsRoleAuditor.FakeAws.Services;

/// <summary>ECS (JSON 1.1 protocol, target prefix <c>AmazonEC2ContainerServiceV20141113</c>): task definition reads.</summary>
internal sealed class EcsHandler : JsonServiceHandler
{
    private static readonly ServiceErrors EcsErrors = new("ecs", "ThrottlingException", "ServerException", "AccessDeniedException", 400, "InvalidParameterException");

    private readonly AccountIndex _accounts;
    private readonly Func<int?> _pageCap;

    public EcsHandler(AccountIndex accounts, Func<int?> pageCap)
    {
        _accounts = accounts;
        _pageCap = pageCap;
        Add("DescribeTaskDefinition", DescribeTaskDefinition);
        Add("ListTaskDefinitions", ListTaskDefinitions);
        Add("ListTaskDefinitionFamilies", ListTaskDefinitionFamilies);
    }

    public override string TargetPrefix => "AmazonEC2ContainerServiceV20141113.";

    public override string SigningName => "ecs";

    public override ServiceErrors Errors => EcsErrors;

    public override FaultTarget Target(AwsRequest request) =>
        request.Operation == "DescribeTaskDefinition" && request.Optional("taskDefinition") is { } reference
            ? new FaultTarget([reference, FamilyOf(reference)], "*")
            : FaultTarget.Any;

    private byte[] DescribeTaskDefinition(AwsRequest request)
    {
        var definition = Find(_accounts.EcsOf(request.Scope), request.Required("taskDefinition"))
            ?? throw new AwsErrorException("ClientException", 400, "Unable to describe task definition.");
        var withTags = request.Json.TryGetProperty("include", out var include)
            && include.ValueKind == JsonValueKind.Array
            && include.EnumerateArray().Any(i => i.ValueKind == JsonValueKind.String && i.GetString() == "TAGS");
        return JsonWire.Write(w =>
        {
            w.WritePropertyName("taskDefinition");
            definition.Definition.WriteTo(w);
            if (withTags)
            {
                w.WriteStartArray("tags");
                foreach (var tag in definition.Tags)
                {
                    w.WriteStartObject();
                    w.WriteString("key", tag.Key);
                    w.WriteString("value", tag.Value);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
        });
    }

    /// <summary>By ARN, <c>family:revision</c>, or family (the latest ACTIVE revision).</summary>
    private static FakeTaskDefinition? Find(EcsRegion region, string reference)
    {
        if (reference.StartsWith("arn:", StringComparison.Ordinal))
        {
            return region.TaskDefinitionsByArn.GetValueOrDefault(reference);
        }
        var colon = reference.LastIndexOf(':');
        if (colon < 0)
        {
            return region.TaskDefinitions.LastOrDefault(t => t.Family == reference && t.Status == "ACTIVE");
        }
        var family = reference[..colon];
        return int.TryParse(reference.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? region.TaskDefinitions.FirstOrDefault(t => t.Family == family && t.Revision == revision)
            : null;
    }

    private static string FamilyOf(string reference)
    {
        var name = reference.StartsWith("arn:", StringComparison.Ordinal) ? reference[(reference.IndexOf('/', StringComparison.Ordinal) + 1)..] : reference;
        var colon = name.LastIndexOf(':');
        return colon < 0 ? name : name[..colon];
    }

    private byte[] ListTaskDefinitions(AwsRequest request)
    {
        var family = request.Optional("familyPrefix");
        var status = Choice(request, "status", "ACTIVE", "ACTIVE", "INACTIVE", "DELETE_IN_PROGRESS");
        var descending = Choice(request, "sort", "ASC", "ASC", "DESC") == "DESC";
        // familyPrefix is, despite its name, the whole family for this operation (ECS API reference).
        var arns = _accounts.EcsOf(request.Scope).TaskDefinitions
            .Where(t => (family is null || t.Family == family) && t.Status == status)
            .Select(t => t.Arn);
        return ListPage(request, [.. descending ? arns.Reverse() : arns], "taskDefinitionArns");
    }

    private byte[] ListTaskDefinitionFamilies(AwsRequest request)
    {
        var prefix = request.Optional("familyPrefix") ?? "";
        var status = Choice(request, "status", "ALL", "ACTIVE", "INACTIVE", "ALL");
        var families = _accounts.EcsOf(request.Scope).TaskDefinitions
            .GroupBy(t => t.Family, StringComparer.Ordinal)
            .Where(g => g.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Where(g => status switch
            {
                "ACTIVE" => g.Any(t => t.Status == "ACTIVE"),
                "INACTIVE" => g.All(t => t.Status != "ACTIVE"),
                _ => true,
            })
            .Select(g => g.Key);
        return ListPage(request, [.. families], "families");
    }

    private byte[] ListPage(AwsRequest request, IReadOnlyList<string> items, string listName)
    {
        var (page, next) = Paging.Slice(items, request.Optional("nextToken"), Paging.Size(Integer(request, "maxResults", 1, 100), 100, _pageCap()), Errors);
        return JsonWire.Write(w =>
        {
            w.WriteStartArray(listName);
            foreach (var item in page)
            {
                w.WriteStringValue(item);
            }
            w.WriteEndArray();
            if (next is not null)
            {
                w.WriteString("nextToken", next);
            }
        });
    }

    private string Choice(AwsRequest request, string name, string fallback, params string[] allowed)
    {
        var value = request.Optional(name) ?? fallback;
        return allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw Errors.Validation($"1 validation error detected: Value '{value}' at '{name}' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
    }
}
