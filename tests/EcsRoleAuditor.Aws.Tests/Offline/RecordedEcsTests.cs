using System.Text.Json;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Runtime;
using EcsRoleAuditor.Aws.Offline;

namespace EcsRoleAuditor.Aws.Tests.Offline;

public sealed class RecordedEcsTests
{
    private const string Prefix = "arn:aws:ecs:eu-west-1:111122223333:task-definition/";

    // web: 1 INACTIVE, 2 ACTIVE, 3 ACTIVE, 4 DELETE_IN_PROGRESS; worker: 1 ACTIVE; old-job: 1 INACTIVE; batch: 5 ACTIVE, 6 INACTIVE.
    private static readonly (string Family, int Revision, string Status)[] Example =
    [
        ("web", 3, "ACTIVE"), ("worker", 1, "ACTIVE"), ("web", 1, "INACTIVE"), ("old-job", 1, "INACTIVE"),
        ("web", 2, "ACTIVE"), ("batch", 6, "INACTIVE"), ("batch", 5, "ACTIVE"), ("web", 4, "DELETE_IN_PROGRESS"),
    ];

    private static string Arn(string familyRevision) => Prefix + familyRevision;

    private static string Definition(string family, int revision, string status) =>
        $$"""{"taskDefinitionArn":"{{Arn($"{family}:{revision}")}}","family":"{{family}}","revision":{{revision}},"status":"{{status}}","containerDefinitions":[{"name":"app","image":"app:latest"}]}""";

    private static string Described(string family, int revision, string status) =>
        $$"""{"taskDefinition":{{Definition(family, revision, status)}},"tags":[{"key":"team","value":"{{family}}"}]}""";

    private static RecordedEcs Record(params string[] files)
    {
        var ecs = new RecordedEcs();
        for (var i = 0; i < files.Length; i++)
        {
            using var document = JsonDocument.Parse(files[i]);
            ecs.Add(document.RootElement, $"file{i}.json");
        }
        return ecs;
    }

    private static RecordedEcs ExampleEcs() => Record($"[{string.Join(',', Example.Select(d => Described(d.Family, d.Revision, d.Status)))}]");

    private static async Task<string> DescribedArnAsync(RecordedEcs ecs, string reference)
    {
        using var document = JsonDocument.Parse(await ecs.DescribeTaskDefinitionAsync(reference, includeTags: true, CancellationToken.None));
        return document.RootElement.GetProperty("taskDefinition").GetProperty("taskDefinitionArn").GetString()!;
    }

    private static async Task<string[]> ListAsync(RecordedEcs ecs, TaskDefinitionListFilter filter)
    {
        var page = await ecs.ListTaskDefinitionsAsync(filter, nextToken: null, CancellationToken.None);
        Assert.Null(page.NextMarker);
        return [.. page.Items.Select(arn => arn[Prefix.Length..])];
    }

    private static async Task<string[]> FamiliesAsync(RecordedEcs ecs, string? prefix, TaskDefinitionStatus status)
    {
        var page = await ecs.ListTaskDefinitionFamiliesAsync(prefix, status, nextToken: null, CancellationToken.None);
        Assert.Null(page.NextMarker);
        return [.. page.Items];
    }

    [Theory]
    [InlineData("arn:aws:ecs:eu-west-1:111122223333:task-definition/web:1", "web:1")]
    [InlineData("arn:aws:ecs:eu-west-1:111122223333:task-definition/web:4", "web:4")]
    [InlineData("web:2", "web:2")]
    [InlineData("web:1", "web:1")]
    [InlineData("web", "web:3")]
    [InlineData("batch", "batch:5")]
    public async Task Describe_finds_by_arn_by_family_revision_and_by_family_as_its_latest_active_revision(string reference, string expected)
    {
        Assert.Equal(Arn(expected), await DescribedArnAsync(ExampleEcs(), reference));
    }

    [Theory]
    [InlineData("old-job")]
    [InlineData("web:9")]
    [InlineData("nothing")]
    [InlineData("arn:aws:ecs:eu-west-1:111122223333:task-definition/web:9")]
    [InlineData("arn:aws:ecs:eu-west-1:444455556666:task-definition/web:3")]
    [InlineData("web:3:1")]
    public async Task Describe_of_anything_not_recorded_fails_with_ClientException_like_ECS(string reference)
    {
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => ExampleEcs().DescribeTaskDefinitionAsync(reference, includeTags: false, CancellationToken.None));

        Assert.Equal("ClientException", error.ErrorCode);
    }

    [Theory]
    [InlineData("arn:aws-cn:ecs:cn-north-1:444455556666:task-definition/web:3")]
    [InlineData("arn:aws-us-gov:ecs:us-gov-west-1:777788889999:task-definition/web:3")]
    public async Task Describe_finds_a_china_or_govcloud_task_definition_by_its_arn(string arn)
    {
        // DescribeTaskDefinition takes the full ARN in every partition (Amazon ECS API Reference, DescribeTaskDefinition).
        var definition = $$"""{"taskDefinitionArn":"{{arn}}","family":"web","revision":3,"status":"ACTIVE","containerDefinitions":[{"name":"app","image":"app:latest"}]}""";
        var ecs = Record(definition);

        Assert.Equal(arn, await DescribedArnAsync(ecs, arn));
        Assert.Equal(arn, await DescribedArnAsync(ecs, "web:3"));
    }

    [Fact]
    public async Task Describe_answers_the_describe_output_as_recorded_with_its_tags()
    {
        var output = await ExampleEcs().DescribeTaskDefinitionAsync("worker:1", includeTags: true, CancellationToken.None);

        using var document = JsonDocument.Parse(output);
        Assert.Equal("worker", document.RootElement.GetProperty("tags")[0].GetProperty("value").GetString());
        Assert.Equal("worker", Assert.Single(TaskDefinitionReader.Read(document.RootElement, "answer")).Family);
    }

    [Fact]
    public async Task A_bare_task_definition_is_answered_wrapped_as_describe_output()
    {
        var ecs = Record(Definition("web", 7, "ACTIVE"));

        using var document = JsonDocument.Parse(await ecs.DescribeTaskDefinitionAsync("web:7", includeTags: true, CancellationToken.None));

        Assert.Equal(JsonValueKind.Object, document.RootElement.GetProperty("taskDefinition").ValueKind);
        Assert.Equal(7, document.RootElement.GetProperty("taskDefinition").GetProperty("revision").GetInt32());
        Assert.Equal(1, ecs.Count);
    }

    [Fact]
    public async Task A_definition_recorded_twice_is_kept_once_with_its_later_answer()
    {
        var ecs = Record(Described("web", 3, "ACTIVE"), Described("web", 3, "INACTIVE"), Described("web", 2, "ACTIVE"));

        Assert.Equal(2, ecs.Count);
        Assert.Equal(Arn("web:2"), await DescribedArnAsync(ecs, "web"));
    }

    [Fact]
    public async Task Active_list_leaves_out_inactive_and_deleting_revisions_sorted_by_family_then_revision()
    {
        Assert.Equal(["batch:5", "web:2", "web:3", "worker:1"], await ListAsync(ExampleEcs(), new TaskDefinitionListFilter()));
    }

    [Fact]
    public async Task Descending_reverses_family_and_revision_order()
    {
        Assert.Equal(["worker:1", "web:3", "web:2", "batch:5"], await ListAsync(ExampleEcs(), new TaskDefinitionListFilter(Descending: true)));
    }

    [Fact]
    public async Task Inactive_list_holds_only_inactive_revisions()
    {
        Assert.Equal(["batch:6", "old-job:1", "web:1"], await ListAsync(ExampleEcs(), new TaskDefinitionListFilter(Status: TaskDefinitionStatus.Inactive)));
    }

    [Fact]
    public async Task Family_filter_of_the_list_is_the_exact_family_not_a_prefix()
    {
        var ecs = Record(Described("web", 1, "ACTIVE"), Described("web-admin", 1, "ACTIVE"));

        Assert.Equal(["web:1"], await ListAsync(ecs, new TaskDefinitionListFilter(FamilyPrefix: "web")));
        Assert.Empty(await ListAsync(ecs, new TaskDefinitionListFilter(FamilyPrefix: "we")));
    }

    [Theory]
    [InlineData(TaskDefinitionStatus.Active, new[] { "batch", "web", "worker" })]
    [InlineData(TaskDefinitionStatus.Inactive, new[] { "old-job" })]
    [InlineData(TaskDefinitionStatus.All, new[] { "batch", "old-job", "web", "worker" })]
    public async Task A_family_is_active_when_one_revision_is_and_inactive_when_none_is(TaskDefinitionStatus status, string[] expected)
    {
        Assert.Equal(expected, await FamiliesAsync(ExampleEcs(), null, status));
    }

    [Fact]
    public async Task Families_filter_by_prefix()
    {
        Assert.Equal(["web", "worker"], await FamiliesAsync(ExampleEcs(), "w", TaskDefinitionStatus.All));
        Assert.Empty(await FamiliesAsync(ExampleEcs(), "x", TaskDefinitionStatus.All));
    }

    [Fact]
    public void A_task_definition_without_its_arn_is_an_input_error_naming_the_file_and_the_place()
    {
        var withoutArn = """[{"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:eu-west-1:111122223333:task-definition/web:1","family":"web","revision":1,"containerDefinitions":[]}},{"taskDefinition":{"family":"api","containerDefinitions":[]}}]""";

        var error = Assert.Throws<InputException>(() => Record(withoutArn));

        Assert.Contains("file0.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("$[1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("api has no taskDefinitionArn", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelled_calls_are_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var ecs = ExampleEcs();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ecs.DescribeTaskDefinitionAsync("web", false, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ecs.ListTaskDefinitionsAsync(new TaskDefinitionListFilter(), null, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ecs.ListTaskDefinitionFamiliesAsync(null, TaskDefinitionStatus.All, null, cancelled.Token));
    }
}
