using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.EventAudit.Tests.Handling;

/// <summary>
/// ECS over describe-task-definition outputs held in memory: it resolves ARNs, <c>family:revision</c> and families the
/// way ECS does, lists ACTIVE families and revisions (newest first when asked), and counts calls, also in the current
/// run's counter as the SDK clients do. <see cref="OnDescribe"/> runs before each describe (the deadline tests cancel there).
/// </summary>
internal sealed class InMemoryEcs : IEcsApi
{
    private readonly Dictionary<string, string> _byArn;

    public InMemoryEcs(Dictionary<string, string> byArn) => _byArn = byArn;

    public static InMemoryEcs Demo() => new(DemoAccount.DescribeOutputs());

    public Action<string>? OnDescribe { get; set; }

    public List<string> Described { get; } = [];

    public int Calls { get; private set; }

    public void Add(string describeOutput)
    {
        using var document = JsonDocument.Parse(describeOutput);
        _byArn[document.RootElement.GetProperty("taskDefinition").GetProperty("taskDefinitionArn").GetString()!] = describeOutput;
    }

    /// <summary>Every revision of the family deregistered: the ACTIVE lists no longer show it.</summary>
    public void Deregister(string family)
    {
        foreach (var arn in _byArn.Keys.Where(a => Family(a) == family).ToList())
        {
            _byArn.Remove(arn);
        }
    }

    /// <summary>One revision deregistered (a rollback): the ACTIVE lists no longer show it.</summary>
    public void DeregisterRevision(string arn) => _byArn.Remove(arn);

    public Task<string> DescribeTaskDefinitionAsync(string taskDefinition, bool includeTags, CancellationToken cancellationToken)
    {
        Calls++;
        ApiCallCounting.Record(AwsActions.DescribeTaskDefinition);
        OnDescribe?.Invoke(taskDefinition);
        cancellationToken.ThrowIfCancellationRequested();
        Described.Add(taskDefinition);
        var match = _byArn.Keys.Where(arn => arn == taskDefinition || arn.EndsWith("/" + taskDefinition, StringComparison.Ordinal)
                || Family(arn) == taskDefinition)
            .OrderByDescending(Revision).FirstOrDefault();
        return match is null
            ? throw new AmazonServiceException("Unable to describe task definition.", null, ErrorType.Sender, "ClientException", "request-1", HttpStatusCode.BadRequest)
            : Task.FromResult(_byArn[match]);
    }

    public Task<Page<string>> ListTaskDefinitionsAsync(TaskDefinitionListFilter filter, string? nextToken, CancellationToken cancellationToken)
    {
        Calls++;
        ApiCallCounting.Record(AwsActions.ListTaskDefinitions);
        cancellationToken.ThrowIfCancellationRequested();
        var arns = _byArn.Keys.Where(a => filter.FamilyPrefix is null || Family(a) == filter.FamilyPrefix);
        arns = filter.Descending ? arns.OrderByDescending(Revision) : arns.OrderBy(Revision);
        return Task.FromResult(new Page<string>([.. arns], null));
    }

    public Task<Page<string>> ListTaskDefinitionFamiliesAsync(string? familyPrefix, TaskDefinitionStatus status, string? nextToken, CancellationToken cancellationToken)
    {
        Calls++;
        ApiCallCounting.Record(AwsActions.ListTaskDefinitionFamilies);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new Page<string>([.. _byArn.Keys.Select(Family).Distinct().Order(StringComparer.Ordinal)], null));
    }

    private static string Family(string arn) => arn.Split('/')[^1].Split(':')[0];

    private static int Revision(string arn) => int.Parse(arn.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);
}
