using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Offline;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.FakeAws;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Pipeline.Tests;

/// <summary>The CLI's demo account as recorded AWS CLI output: three task definitions, five roles.</summary>
internal static class Demo
{
    public static string Folder => Path.Combine(RepositoryPaths.Root, "src", "EcsRoleAuditor.Cli", "Demo");

    private static string File(string name) => Path.Combine(Folder, name);

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

/// <summary>The demo account served by the fake AWS, for runs whose calls go through the real clients and are counted.</summary>
public sealed class FakeAwsDemo : IAsyncLifetime
{
    private static readonly BasicAWSCredentials Keys = new("AKIAPIPELINETESTKEY1", "pipeline-test-secret-not-real");

    public FakeAwsServer Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await FakeAwsServer.StartAsync(FakeAccount.Load(Path.Combine(Demo.Folder, "account.json"), Path.Combine(Demo.Folder, "task-definitions.json")));

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A connection to the fake; the caller disposes it.</summary>
    public AwsConnection Connect()
    {
        var endpoint = Server.Endpoint.ToString();
        return AwsConnection.Open(new AwsConnectionOptions
        {
            Region = Server.Region,
            Credentials = Keys,
            EndpointUrls = new ServiceEndpointUrls(endpoint, endpoint, endpoint, endpoint),
        });
    }

    /// <summary>Live sources over <paramref name="connection"/>, with a policy cache that outlives runs (as in a warm Lambda).</summary>
    public AuditSources Sources(AwsConnection connection) =>
        new(connection.Ecs, connection.Iam, new IamRoleDirectoryOptions(Server.AccountId, Cache: new ManagedPolicyCache()));
}
