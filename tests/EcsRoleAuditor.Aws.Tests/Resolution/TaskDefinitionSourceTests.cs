using System.Text.Json.Nodes;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.Aws.Tests.Resolution;

public sealed class TaskDefinitionSourceTests
{
    private const string Prefix = "arn:aws:ecs:eu-west-1:111122223333:task-definition/";

    private static InMemoryEcs WithRevisions()
    {
        var ecs = InMemoryEcs.Demo();
        // The double drops tags unless DescribeTaskDefinition asks for them.
        ecs.Families["orders-api"][7].Body["tags"] = JsonNode.Parse("""[{"key":"team","value":"orders"}]""");
        foreach (var (family, revision, active) in new[] { ("orders-api", 5, true), ("orders-api", 8, false), ("billing-worker", 13, true), ("retired", 1, false) })
        {
            var body = JsonNode.Parse($$"""{"taskDefinition":{"taskDefinitionArn":"{{Prefix}}{{family}}:{{revision}}","family":"{{family}}","revision":{{revision}},"containerDefinitions":[]},"tags":[]}""")!.AsObject();
            ecs.Add(family, revision, body, active);
        }
        return ecs;
    }

    [Theory]
    [InlineData("orders-api", 7)]
    [InlineData("orders-api:7", 7)]
    [InlineData(Prefix + "orders-api:7", 7)]
    [InlineData("billing-worker", 13)]
    public async Task Family_revision_or_arn_is_read_with_its_tags(string reference, int revision)
    {
        var source = new TaskDefinitionSource(WithRevisions());

        var found = Assert.IsType<TaskDefinitionLookup.Found>(await source.DescribeAsync(reference, default));

        Assert.Equal(revision, found.Definition.Revision);
        Assert.Equal(reference, found.Reference);
        if (revision == 7)
        {
            Assert.Equal("arn:aws:iam::111122223333:role/orders-api-task", found.Definition.TaskRoleArn);
            Assert.Equal("orders", found.Definition.Tags["team"]);
        }
    }

    [Theory]
    [InlineData(null, "missing:1", AwsFailureKind.NotFound, "not found: ecs:DescribeTaskDefinition on missing:1 (ClientException)")]
    [InlineData("AccessDeniedException", "orders-api", AwsFailureKind.AccessDenied, "access denied: ecs:DescribeTaskDefinition on orders-api (grant it to the auditor's role)")]
    [InlineData("ThrottlingException", "orders-api", AwsFailureKind.Throttled, "throttled: ecs:DescribeTaskDefinition on orders-api")]
    public async Task Errors_are_typed_results_naming_the_action(string? fault, string reference, AwsFailureKind kind, string description)
    {
        var ecs = InMemoryEcs.Demo();
        if (fault is not null)
        {
            ecs.Faults["ecs:DescribeTaskDefinition"] = fault;
        }

        var failed = Assert.IsType<TaskDefinitionLookup.Failed>(await new TaskDefinitionSource(ecs).DescribeAsync(reference, default));

        Assert.Equal(kind, failed.Failure.Kind);
        Assert.StartsWith(description, failed.Failure.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_latest_active_revision_of_every_active_family_is_listed()
    {
        var ecs = WithRevisions();
        var counter = new ApiCallCounter();

        var listing = await new TaskDefinitionSource(new CountingEcsApi(ecs, counter)).ListLatestActiveAsync(default);

        Assert.Null(listing.Failure);
        Assert.Equal([Prefix + "billing-worker:13", Prefix + "legacy-reports:3", Prefix + "orders-api:7"], listing.Arns);
        // 5 ACTIVE revisions on pages of 2, newest per family taken from them: no family listing.
        Assert.Equal(0, counter[AwsActions.ListTaskDefinitionFamilies.Action]);
        Assert.Equal(3, counter[AwsActions.ListTaskDefinitions.Action]);
    }

    [Fact]
    public async Task Families_keeping_many_active_revisions_are_listed_family_by_family_once_revision_pages_outnumber_families()
    {
        var ecs = WithRevisions();
        for (var revision = 20; revision < 40; revision++)
        {
            ecs.Add("orders-api", revision, JsonNode.Parse($$"""{"taskDefinition":{"taskDefinitionArn":"{{Prefix}}orders-api:{{revision}}","family":"orders-api","revision":{{revision}},"containerDefinitions":[]},"tags":[]}""")!.AsObject(), active: true);
        }
        var counter = new ApiCallCounter();

        var listing = await new TaskDefinitionSource(new CountingEcsApi(ecs, counter)).ListLatestActiveAsync(default);

        Assert.Null(listing.Failure);
        Assert.Equal([Prefix + "billing-worker:13", Prefix + "legacy-reports:3", Prefix + "orders-api:39"], listing.Arns);
        // 25 ACTIVE revisions of 3 families on pages of 2 would take 13 pages; the fifth page outnumbers the families
        // found (3) plus one, so the listing turns to 2 pages of families and one ListTaskDefinitions per family.
        Assert.Equal(2, counter[AwsActions.ListTaskDefinitionFamilies.Action]);
        Assert.Equal(5 + 3, counter[AwsActions.ListTaskDefinitions.Action]);
    }

    // The newest of a family is chosen within one account and region: an ARN of the same family elsewhere, with a higher
    // revision, must not hide this region's revision (describing the stranger says what is wrong with it).
    [Fact]
    public async Task A_family_of_the_same_name_in_another_region_or_account_does_not_hide_this_ones_newest()
    {
        var elsewhere = new[] { "arn:aws:ecs:us-east-1:111122223333:task-definition/orders-api:9", "arn:aws:ecs:eu-west-1:444455556666:task-definition/orders-api:8" };
        var ecs = new PagedEcs([[Prefix + "orders-api:7", .. elsewhere]], families: []);

        var listing = await new TaskDefinitionSource(ecs).ListLatestActiveAsync(default);

        Assert.Null(listing.Failure);
        Assert.Equal(new[] { Prefix + "orders-api:7" }.Concat(elsewhere).Order(StringComparer.Ordinal), listing.Arns);
    }

    // Empty pages that keep handing out new tokens count as pages: the listing turns to the families after two, so it
    // cannot be kept reading revision pages for ever.
    [Fact]
    public async Task Empty_revision_pages_turn_the_listing_to_the_families()
    {
        var ecs = new PagedEcs([.. Enumerable.Repeat<string[]>([], 1000)], families: ["orders-api", "orders-api"]);

        var listing = await new TaskDefinitionSource(ecs).ListLatestActiveAsync(default);

        Assert.Null(listing.Failure);
        // ListTaskDefinitionFamilies naming a family twice lists its newest revision once.
        Assert.Equal([Prefix + "orders-api:1"], listing.Arns);
        Assert.Equal(2, ecs.RevisionPagesRead);
    }

    [Fact]
    public async Task Every_active_revision_can_be_listed()
    {
        var listing = await new TaskDefinitionSource(WithRevisions()).ListAllActiveAsync(default);

        Assert.Null(listing.Failure);
        Assert.Equal(
            [Prefix + "billing-worker:12", Prefix + "billing-worker:13", Prefix + "legacy-reports:3", Prefix + "orders-api:5", Prefix + "orders-api:7"],
            listing.Arns);
    }

    [Fact]
    public async Task A_listing_cut_short_says_why()
    {
        var ecs = WithRevisions();
        ecs.Faults["ecs:ListTaskDefinitions"] = "AccessDeniedException";

        var listing = await new TaskDefinitionSource(ecs).ListLatestActiveAsync(default);

        Assert.Empty(listing.Arns);
        Assert.Equal(AwsFailureKind.AccessDenied, listing.Failure!.Kind);
        Assert.Equal(AwsActions.ListTaskDefinitions, listing.Failure.Operation);
    }

    /// <summary>ECS answering ListTaskDefinitions with the given pages (a next token after each but the last), ListTaskDefinitionFamilies with the given families, and each family's newest revision as <c>family:1</c>.</summary>
    private sealed class PagedEcs(string[][] revisionPages, string[] families) : Api.IEcsApi
    {
        public int RevisionPagesRead { get; private set; }

        public Task<string> DescribeTaskDefinitionAsync(string taskDefinition, bool includeTags, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<Api.Page<string>> ListTaskDefinitionsAsync(Api.TaskDefinitionListFilter filter, string? nextToken, CancellationToken cancellationToken)
        {
            if (filter.FamilyPrefix is { } family)
            {
                return Task.FromResult(new Api.Page<string>([Prefix + family + ":1"], null));
            }
            var page = nextToken is null ? 0 : int.Parse(nextToken, System.Globalization.CultureInfo.InvariantCulture);
            RevisionPagesRead++;
            return Task.FromResult(new Api.Page<string>(revisionPages[page], page + 1 < revisionPages.Length ? $"{page + 1}" : null));
        }

        public Task<Api.Page<string>> ListTaskDefinitionFamiliesAsync(string? familyPrefix, Api.TaskDefinitionStatus status, string? nextToken, CancellationToken cancellationToken) =>
            Task.FromResult(new Api.Page<string>(families, null));
    }
}
