using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Offline;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Pipeline.Tests;

/// <summary>The CLI's demo account as recorded AWS CLI output: three task definitions, five roles.</summary>
internal static class Demo
{
    private static string File(string name) => Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.Cli", "Demo", name);

    public static RecordedIam Iam()
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllBytes(File("account.json")));
        return RecordedIam.Read(document.RootElement, "account.json");
    }

    public static RecordedEcs Ecs()
    {
        var ecs = new RecordedEcs();
        using var document = JsonDocument.Parse(System.IO.File.ReadAllBytes(File("task-definitions.json")));
        ecs.Add(document.RootElement, "task-definitions.json");
        return ecs;
    }

    public static AuditSources Sources() => AuditSources.Recorded(Ecs(), Iam());
}

/// <summary>ECS that denies one operation, as an auditor role without that permission sees it.</summary>
internal sealed class DenyingEcs(IEcsApi inner, string deniedOperation) : IEcsApi
{
    public Task<string> DescribeTaskDefinitionAsync(string taskDefinition, bool includeTags, CancellationToken cancellationToken) =>
        deniedOperation == "DescribeTaskDefinition" ? Denied<string>() : inner.DescribeTaskDefinitionAsync(taskDefinition, includeTags, cancellationToken);

    public Task<Page<string>> ListTaskDefinitionsAsync(TaskDefinitionListFilter filter, string? nextToken, CancellationToken cancellationToken) =>
        deniedOperation == "ListTaskDefinitions" ? Denied<Page<string>>() : inner.ListTaskDefinitionsAsync(filter, nextToken, cancellationToken);

    public Task<Page<string>> ListTaskDefinitionFamiliesAsync(string? familyPrefix, TaskDefinitionStatus status, string? nextToken, CancellationToken cancellationToken) =>
        deniedOperation == "ListTaskDefinitionFamilies" ? Denied<Page<string>>() : inner.ListTaskDefinitionFamiliesAsync(familyPrefix, status, nextToken, cancellationToken);

    private static Task<T> Denied<T>() => Task.FromException<T>(new AmazonServiceException("not authorized") { ErrorCode = "AccessDeniedException", StatusCode = HttpStatusCode.BadRequest });
}
