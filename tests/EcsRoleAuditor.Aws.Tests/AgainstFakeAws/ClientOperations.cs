using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.SecurityToken;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;
using EcsRoleAuditor.FakeAws;

namespace EcsRoleAuditor.Aws.Tests.AgainstFakeAws;

/// <summary>An error a service answers with, as our clients surface it: the exception type and the wire code.</summary>
internal sealed record TypedError(Type Type, string Code);

/// <summary>How one service names its common errors, and how its requests are signed.</summary>
/// <param name="SigningName">The SigV4 service name of the credential scope.</param>
/// <param name="GlobalSigningRegion">The region every request is signed for (IAM: us-east-1), or null for the connection's region.</param>
/// <param name="Throttling">Still throttled after the attempts.</param>
/// <param name="ServerFailure">Still a 500 after the attempts.</param>
/// <param name="AccessDenied">The caller may not call the operation.</param>
internal sealed record ServiceVocabulary(string SigningName, string? GlobalSigningRegion, TypedError Throttling, TypedError ServerFailure, TypedError AccessDenied)
{
    public static readonly ServiceVocabulary Iam = new("iam", "us-east-1",
        new(typeof(AwsServiceException), "Throttling"), new(typeof(AwsServiceException), "ServiceFailure"), new(typeof(AwsServiceException), "AccessDenied"));

    public static readonly ServiceVocabulary Ecs = new("ecs", null,
        new(typeof(AwsServiceException), "ThrottlingException"), new(typeof(AwsServiceException), "ServerException"), new(typeof(AwsServiceException), "AccessDeniedException"));

    public static readonly ServiceVocabulary Sns = new("sns", null,
        new(typeof(AwsServiceException), "Throttled"), new(typeof(AwsServiceException), "InternalError"), new(typeof(AwsServiceException), "AuthorizationError"));

    // The SecurityToken package has no types of its own for these codes.
    public static readonly ServiceVocabulary Sts = new("sts", null,
        new(typeof(AmazonSecurityTokenServiceException), "Throttling"), new(typeof(AmazonSecurityTokenServiceException), "InternalFailure"), new(typeof(AmazonSecurityTokenServiceException), "AccessDenied"));
}

/// <summary>
/// One client operation as the theories drive it against <see cref="FakeAwsFixture"/>'s account: the call on the example
/// resources, what it must return (read from the account), and, where the operation has them, its pages and its
/// not-found case.
/// </summary>
internal sealed record ClientOperation(string Name, ServiceVocabulary Service, Func<AwsConnection, Task<object>> Call, Func<FakeAwsFixture, object> Expected)
{
    /// <summary>The role the connection assumes first (STS AssumeRole is reached through the connection's credentials).</summary>
    public string? AssumedRole { get; init; }

    /// <summary>Reads every page, following markers; null for operations that are not paginated.</summary>
    public Func<AwsConnection, Task<List<object>>>? ReadAllPages { get; init; }

    /// <summary>All the items the pages must hold together.</summary>
    public Func<FakeAwsFixture, IEnumerable<object>>? AllItems { get; init; }

    /// <summary>The call on a resource the account does not have, and the error it must give; null when the operation has no such case.</summary>
    public (Func<AwsConnection, Task> Call, TypedError Error)? Missing { get; init; }

    public override string ToString() => Name;
}

/// <summary>Every operation of <see cref="IIamApi"/>, <see cref="IEcsApi"/>, <see cref="ISnsApi"/> and STS AssumeRole.</summary>
internal static class ClientOperations
{
    public const string RoleName = "web";
    public const string InlinePolicyName = "table";
    public const string PolicyArn = "arn:aws:iam::111122223333:policy/app-data";
    public const string OldVersion = "v1";
    public const string TaskDefinition = "web:3";

    private static readonly TypedError NoSuchEntity = new(typeof(AwsServiceException), "NoSuchEntity");
    private static readonly CancellationToken None = CancellationToken.None;

    public static IReadOnlyDictionary<string, ClientOperation> All { get; } = new ClientOperation[]
    {
        new("GetRole", ServiceVocabulary.Iam, async aws => await aws.Iam.GetRoleAsync(RoleName, None), f => ExpectedRole(Role(f)))
        {
            Missing = (aws => aws.Iam.GetRoleAsync("gone", None), NoSuchEntity),
        },
        Paged("ListRolePolicies", ServiceVocabulary.Iam, (aws, marker) => aws.Iam.ListRolePoliciesAsync(RoleName, marker, None), f => Role(f).InlinePolicies.Select(p => p.Name))
            with { Missing = (aws => aws.Iam.ListRolePoliciesAsync("gone", null, None), NoSuchEntity) },
        new("GetRolePolicy", ServiceVocabulary.Iam, async aws => await aws.Iam.GetRolePolicyAsync(RoleName, InlinePolicyName, None),
            f => Role(f).InlinePolicies.Single(p => p.Name == InlinePolicyName).Document)
        {
            Missing = (aws => aws.Iam.GetRolePolicyAsync(RoleName, "gone", None), NoSuchEntity),
        },
        Paged("ListAttachedRolePolicies", ServiceVocabulary.Iam, (aws, marker) => aws.Iam.ListAttachedRolePoliciesAsync(RoleName, marker, None),
            f => Role(f).AttachedPolicies.Select(p => new AttachedPolicy(p.Name, p.Arn)))
            with { Missing = (aws => aws.Iam.ListAttachedRolePoliciesAsync("gone", null, None), NoSuchEntity) },
        new("GetPolicy", ServiceVocabulary.Iam, async aws => await aws.Iam.GetPolicyAsync(PolicyArn, None),
            f => PolicyInfo(Policy(f, PolicyArn)))
        {
            Missing = (aws => aws.Iam.GetPolicyAsync(PolicyArn + "-gone", None), NoSuchEntity),
        },
        new("GetPolicyVersion", ServiceVocabulary.Iam, async aws => await aws.Iam.GetPolicyVersionAsync(PolicyArn, OldVersion, None),
            f => Policy(f, PolicyArn).Versions.Single(v => v.VersionId == OldVersion).Document)
        {
            Missing = (aws => aws.Iam.GetPolicyVersionAsync(PolicyArn, "v9", None), NoSuchEntity),
        },
        Paged("GetAccountAuthorizationDetails", ServiceVocabulary.Iam,
            (aws, marker) => aws.Iam.GetAccountAuthorizationDetailsAsync(AuthorizationDetailsDirectory.Filters, marker, None),
            page => page.Roles.Cast<object>().Concat(page.Policies),
            f => new AuthorizationDetailsPage([.. f.Account.Roles.Select(RoleDetail)], [.. f.Account.ManagedPolicies.Select(PolicyDetail)], null),
            f => f.Account.Roles.Select(RoleDetail).Cast<object>().Concat(f.Account.ManagedPolicies.Select(PolicyDetail))),
        new("DescribeTaskDefinition", ServiceVocabulary.Ecs, async aws => Normalized(await aws.Ecs.DescribeTaskDefinitionAsync(TaskDefinition, includeTags: true, None)),
            f => ExpectedDescription(f.Account.TaskDefinitions.Single(t => $"{t.Family}:{t.Revision}" == TaskDefinition)))
        {
            Missing = (aws => aws.Ecs.DescribeTaskDefinitionAsync("web:99", includeTags: true, None), new(typeof(AwsServiceException), "ClientException")),
        },
        Paged("ListTaskDefinitions", ServiceVocabulary.Ecs, (aws, token) => aws.Ecs.ListTaskDefinitionsAsync(new TaskDefinitionListFilter(Status: TaskDefinitionStatus.Active), token, None),
            f => f.Account.TaskDefinitions.Where(t => t.Status == "ACTIVE").OrderBy(t => t.Family, StringComparer.Ordinal).ThenBy(t => t.Revision).Select(t => t.Arn)),
        Paged("ListTaskDefinitionFamilies", ServiceVocabulary.Ecs, (aws, token) => aws.Ecs.ListTaskDefinitionFamiliesAsync(null, TaskDefinitionStatus.Active, token, None),
            f => f.Account.TaskDefinitions.Where(t => t.Status == "ACTIVE").Select(t => t.Family).Distinct().Order(StringComparer.Ordinal)),
        new("Publish", ServiceVocabulary.Sns, async aws => await aws.Sns.PublishAsync(Alert(FakeAwsFixture.Region), None), f => f.Server.Published[^1].MessageId)
        {
            Missing = (aws => aws.Sns.PublishAsync(Alert(FakeAwsFixture.Region) with { TopicArn = $"arn:aws:sns:{FakeAwsFixture.Region}:{FakeAwsFixture.AccountId}:gone" }, None),
                new(typeof(AwsServiceException), "NotFound")),
        },
        new("AssumeRole", ServiceVocabulary.Sts, async aws => (await StsAsync(aws.Credentials.GetCredentialsAsync())).AccessKey, f => f.Server.AssumedRoles[^1].AccessKeyId)
        {
            AssumedRole = FakeAwsFixture.AuditorRoleArn,
        },
    }.ToDictionary(o => o.Name, StringComparer.Ordinal);

    /// <summary>The operations that read pages.</summary>
    public static IEnumerable<ClientOperation> Paginated => All.Values.Where(o => o.ReadAllPages is not null);

    /// <summary>The message the Publish cases send, to the account's topic.</summary>
    public static SnsMessage Alert(string region) => Clients.AwsExamples.Alert($"arn:aws:sns:{region}:{FakeAwsFixture.AccountId}:audit-alerts");

    /// <summary>The credentials wrap STS's errors (see <c>AssumedRoleCredentials</c>); the theories look at STS's error inside.</summary>
    private static async Task<T> StsAsync<T>(Task<T> call)
    {
        try
        {
            return await call;
        }
        catch (AmazonClientException e) when (e.InnerException is AmazonServiceException sts)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(sts);
            throw;
        }
    }

    private static ClientOperation Paged<T>(string name, ServiceVocabulary service, Func<AwsConnection, string?, Task<Page<T>>> page, Func<FakeAwsFixture, IEnumerable<T>> items)
        where T : notnull =>
        Paged(name, service, page, p => p.Items.Cast<object>(), f => new Page<T>([.. items(f)], null), f => items(f).Cast<object>());

    private static ClientOperation Paged<TPage>(
        string name, ServiceVocabulary service, Func<AwsConnection, string?, Task<TPage>> page,
        Func<TPage, IEnumerable<object>> items, Func<FakeAwsFixture, object> firstPage, Func<FakeAwsFixture, IEnumerable<object>> allItems)
        where TPage : IPage => new(name, service, async aws => await page(aws, null), firstPage)
        {
            AllItems = allItems,
            ReadAllPages = async aws =>
            {
                var all = new List<object>();
                await foreach (var current in Pages.ReadAllAsync(AwsActions.All.Single(o => o.Name == name), (marker, _) => page(aws, marker), None))
                {
                    all.AddRange(items(current));
                }
                return all;
            },
        };

    private static FakeRole Role(FakeAwsFixture fixture) => fixture.Account.Roles.Single(r => r.Name == RoleName);

    private static FakeManagedPolicy Policy(FakeAwsFixture fixture, string arn) => fixture.Account.ManagedPolicies.Single(p => p.Arn == arn);

    private static ManagedPolicyInfo PolicyInfo(FakeManagedPolicy policy) => new(policy.Name, policy.Arn, policy.Path, policy.DefaultVersionId!);

    private static IamTag[] Tags(IEnumerable<FakeTag> tags) => [.. tags.Select(t => new IamTag(t.Key, t.Value))];

    private static IamRole ExpectedRole(FakeRole role) => new(role.Name, role.Arn, role.Path, role.TrustPolicy, role.PermissionsBoundaryArn, Tags(role.Tags));

    private static RoleDetail RoleDetail(FakeRole role) => new(
        role.Name, role.Arn, role.Path, role.TrustPolicy,
        [.. role.InlinePolicies.Select(p => new InlinePolicy(p.Name, p.Document))],
        [.. role.AttachedPolicies.Select(p => new AttachedPolicy(p.Name, p.Arn))],
        role.PermissionsBoundaryArn,
        Tags(role.Tags));

    private static ManagedPolicyDetail PolicyDetail(FakeManagedPolicy policy) => new(
        policy.Name, policy.Arn, policy.Path, policy.DefaultVersionId!,
        [.. policy.Versions.Select(v => new ManagedPolicyVersion(v.VersionId, v.IsDefault, v.Document))]);

    /// <summary>DescribeTaskDefinition's answer as the account holds it: the definition and its tags.</summary>
    private static string ExpectedDescription(FakeTaskDefinition definition) => new JsonObject
    {
        ["taskDefinition"] = definition.Definition.DeepClone(),
        ["tags"] = new JsonArray([.. definition.Tags.Select(t => new JsonObject { ["key"] = t.Key, ["value"] = t.Value })]),
    }.ToJsonString();

    private static string Normalized(string json) => JsonNode.Parse(json)!.ToJsonString();
}
