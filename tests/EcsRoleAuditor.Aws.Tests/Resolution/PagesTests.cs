using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Tests.Clients;

namespace EcsRoleAuditor.Aws.Tests.Resolution;

public sealed class PagesTests
{
    [Fact]
    public async Task Pages_are_read_from_the_first_following_each_marker_until_there_is_none()
    {
        var markers = new List<string?>();
        var answers = new Dictionary<string, Page<int>>(StringComparer.Ordinal)
        {
            [""] = new([1, 2], "m1"),
            ["m1"] = new([3], "m2"),
            ["m2"] = new([], null),
        };

        var items = new List<int>();
        await foreach (var page in Pages.ReadAllAsync(AwsActions.ListRolePolicies, (marker, _) =>
        {
            markers.Add(marker);
            return Task.FromResult(answers[marker ?? ""]);
        }, CancellationToken.None))
        {
            items.AddRange(page.Items);
        }

        Assert.Equal([null, "m1", "m2"], markers);
        Assert.Equal([1, 2, 3], items);
    }

    [Theory]
    [InlineData("a", "a")]
    [InlineData("a", "b", "a")]
    public async Task A_server_handing_out_a_marker_again_is_an_unreadable_answer_not_an_endless_loop(params string[] markers)
    {
        var calls = 0;
        var pages = Pages.ReadAllAsync(AwsActions.ListTaskDefinitions, (_, _) => Task.FromResult(new Page<string>(["x"], markers[Math.Min(calls++, markers.Length - 1)])), CancellationToken.None);

        var error = await Assert.ThrowsAsync<AmazonClientException>(async () =>
        {
            await foreach (var _ in pages)
            {
            }
        });

        Assert.Equal(markers.Length, calls);
        Assert.True(AwsFailure.IsAwsError(error));
        Assert.Contains("ecs:ListTaskDefinitions answered with a page marker it had already given", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bound_on_pages_ends_a_list_that_still_has_more_with_an_aws_error()
    {
        var calls = 0;
        var pages = Pages.ReadAllAsync(AwsActions.ListAccounts, (_, _) => Task.FromResult(new Page<string>([], $"m{++calls}")), 3, CancellationToken.None);

        var error = await Assert.ThrowsAsync<AmazonClientException>(async () =>
        {
            await foreach (var _ in pages)
            {
            }
        });

        Assert.Equal(3, calls);
        Assert.True(AwsFailure.IsAwsError(error));
        Assert.Contains("organizations:ListAccounts still had more after 3 pages", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_list_ending_on_the_last_page_the_bound_allows_is_read_whole()
    {
        var answers = new Queue<Page<int>>([new([1], "m1"), new([2], "m2"), new([3], null)]);

        var items = new List<int>();
        await foreach (var page in Pages.ReadAllAsync(AwsActions.ListAccounts, (_, _) => Task.FromResult(answers.Dequeue()), 3, CancellationToken.None))
        {
            items.AddRange(page.Items);
        }

        Assert.Equal([1, 2, 3], items);
    }

    [Fact]
    public async Task An_operation_without_pages_is_refused()
    {
        var pages = Pages.ReadAllAsync(AwsActions.GetRole, (_, _) => Task.FromResult(new Page<string>([], null)), CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentException>(async () => await pages.GetAsyncEnumerator().MoveNextAsync());
    }

    [Fact]
    public async Task A_listing_from_ecs_repeating_its_next_token_ends_with_a_failure_naming_the_call()
    {
        using var responder = new RecordingResponder().Json(AwsExamples.ListTaskDefinitions).Json(AwsExamples.ListTaskDefinitions);
        using var aws = TestConnections.To(responder);

        var listing = await new TaskDefinitionSource(aws.Ecs).ListAllActiveAsync(CancellationToken.None);

        Assert.Equal(2, responder.Requests.Count);
        Assert.Equal(4, listing.Arns.Count);
        Assert.Equal((AwsFailureKind.Other, AwsActions.ListTaskDefinitions), (listing.Failure!.Kind, listing.Failure.Operation));
        Assert.Equal("ecs:ListTaskDefinitions on ACTIVE task definitions failed: AmazonClientException: ecs:ListTaskDefinitions answered with a page marker it had already given; following it would never end",
            listing.Failure.Describe());
    }
}
