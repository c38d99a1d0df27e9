using System.Collections.Immutable;
using System.Net;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;
using EcsRoleAuditor.Dynalite;

namespace EcsRoleAuditor.Aws.Tests.Dynamo;

/// <summary>The DynamoDB client against dynalite, on a findings table created from template.yaml's StateTable.</summary>
public sealed class DynamoDbClientTests(DynaliteFixture dynamo) : IClassFixture<DynaliteFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static DynamoItem Key(string pk, string sk) => DynamoItem.Of(("PK", new DynamoValue.S(pk)), ("SK", new DynamoValue.S(sk)));

    private static DynamoExpressionTerms Terms(params (string Placeholder, DynamoValue Value)[] values) => new(
        ImmutableDictionary<string, string>.Empty,
        values.ToImmutableDictionary(v => v.Placeholder, v => v.Value, StringComparer.Ordinal));

    /// <summary>The query the tests read one item back with: its full key (the client reads only with Query), one page of at most one item.</summary>
    private static DynamoQuery ItemQuery(string tableName, DynamoItem key, bool consistentRead = true) => new(tableName, null, "#pk = :pk AND #sk = :sk",
        new DynamoExpressionTerms(
            ImmutableDictionary<string, string>.Empty.Add("#pk", "PK").Add("#sk", "SK"),
            ImmutableDictionary<string, DynamoValue>.Empty.Add(":pk", key["PK"]!).Add(":sk", key["SK"]!)),
        ConsistentRead: consistentRead);

    /// <summary>The item of this key, read back with a strongly consistent query, or null.</summary>
    private async Task<DynamoItem?> ReadBack(AwsConnection aws, DynamoItem key)
    {
        var page = await aws.DynamoDb.QueryAsync(ItemQuery(dynamo.TableName, key), null, None);
        Assert.Null(page.NextMarker);
        return page.Items.SingleOrDefault();
    }

    [Fact]
    public async Task Every_value_type_comes_back_as_it_was_put()
    {
        using var aws = dynamo.Connect();
        var item = Key("finding#round-trip", "state").Attributes.AddRange(new Dictionary<string, DynamoValue>
        {
            ["text"] = new DynamoValue.S("ünïcødé \"quoted\" <tag> & \\ / \u2028"),
            ["count"] = DynamoValue.N.Of(-42),
            ["decimal"] = new DynamoValue.N("3.14159"),
            ["big"] = DynamoValue.N.Of(long.MaxValue),
            ["yes"] = new DynamoValue.Bool(true),
            ["no"] = new DynamoValue.Bool(false),
            ["nothing"] = new DynamoValue.Null(),
            ["list"] = new DynamoValue.L([new DynamoValue.S("a"), DynamoValue.N.Of(1), new DynamoValue.L([]), new DynamoValue.Null()]),
            ["map"] = new DynamoValue.M(DynamoItem.Of(("nested", new DynamoValue.M(DynamoItem.Of(("deep", new DynamoValue.Bool(true))))), ("empty", new DynamoValue.M(DynamoItem.Of())))),
        });

        var put = await aws.DynamoDb.PutItemAsync(new DynamoPut(dynamo.TableName, new DynamoItem(item), null, DynamoExpressionTerms.None), None);
        var read = await ReadBack(aws, Key("finding#round-trip", "state"));

        Assert.Equal(new DynamoWriteResult(true, null), put);
        Assert.NotNull(read);
        Assert.Equal(item.Keys.Order(StringComparer.Ordinal), read.Attributes.Keys.Order(StringComparer.Ordinal));
        Assert.All(item, a => Assert.Equal(Canonical(a.Value), Canonical(read[a.Key]!)));
        Assert.Equal(-42, read.Number("count"));
        Assert.Equal(long.MaxValue, read.Number("big"));
    }

    [Fact]
    public async Task A_query_for_a_missing_item_answers_an_empty_last_page()
    {
        using var aws = dynamo.Connect();

        var page = await aws.DynamoDb.QueryAsync(ItemQuery(dynamo.TableName, Key("finding#absent", "state"), consistentRead: false), null, None);

        Assert.Empty(page.Items);
        Assert.Null(page.NextMarker);
    }

    [Fact]
    public async Task A_write_whose_condition_fails_is_not_applied_and_writes_nothing()
    {
        using var aws = dynamo.Connect();
        var key = Key("finding#conditional", "state");
        await aws.DynamoDb.PutItemAsync(new DynamoPut(dynamo.TableName, new DynamoItem(key.Attributes.Add("alerted", DynamoValue.N.Of(1))), null, DynamoExpressionTerms.None), None);

        var update = await aws.DynamoDb.UpdateItemAsync(new DynamoUpdate(dynamo.TableName, key, "SET alerted = :two", "attribute_not_exists(PK)",
            Terms((":two", DynamoValue.N.Of(2))), DynamoReturnValues.AllNew), None);
        var put = await aws.DynamoDb.PutItemAsync(new DynamoPut(dynamo.TableName, new DynamoItem(key.Attributes.Add("alerted", DynamoValue.N.Of(3))),
            "attribute_not_exists(PK)", DynamoExpressionTerms.None, DynamoReturnValues.AllOld), None);
        var absent = Key("finding#conditional-absent", "state");
        var updateOfAbsent = await aws.DynamoDb.UpdateItemAsync(new DynamoUpdate(dynamo.TableName, absent, "SET alerted = :two", "attribute_exists(PK)",
            Terms((":two", DynamoValue.N.Of(2))), DynamoReturnValues.AllOld), None);

        Assert.Equal(new DynamoWriteResult(false, null), update);
        Assert.Equal(new DynamoWriteResult(false, null), put);
        Assert.Equal(new DynamoWriteResult(false, null), updateOfAbsent);
        var kept = await ReadBack(aws, key);
        Assert.Equal((3, 1L), (kept!.Attributes.Count, kept.Number("alerted")));
        // UpdateItem creates the item it updates: a failed condition must not leave one behind.
        Assert.Null(await ReadBack(aws, absent));
    }

    [Fact]
    public async Task Writes_return_the_old_or_new_item_when_asked()
    {
        using var aws = dynamo.Connect();
        var key = Key("finding#returns", "state");
        var names = new DynamoExpressionTerms(ImmutableDictionary<string, string>.Empty.Add("#n", "count"), ImmutableDictionary<string, DynamoValue>.Empty.Add(":one", DynamoValue.N.Of(1)));

        var first = await aws.DynamoDb.PutItemAsync(new DynamoPut(dynamo.TableName, new DynamoItem(key.Attributes.Add("count", DynamoValue.N.Of(1))), "attribute_not_exists(PK)", DynamoExpressionTerms.None, DynamoReturnValues.AllOld), None);
        var updated = await aws.DynamoDb.UpdateItemAsync(new DynamoUpdate(dynamo.TableName, key, "SET #n = #n + :one", "attribute_exists(PK)", names, DynamoReturnValues.AllNew), None);
        var old = await aws.DynamoDb.UpdateItemAsync(new DynamoUpdate(dynamo.TableName, key, "SET #n = #n + :one", null, names, DynamoReturnValues.AllOld), None);
        var replaced = await aws.DynamoDb.PutItemAsync(new DynamoPut(dynamo.TableName, new DynamoItem(key.Attributes.Add("count", DynamoValue.N.Of(10))), "attribute_exists(PK)", DynamoExpressionTerms.None, DynamoReturnValues.AllOld), None);

        Assert.Equal(new DynamoWriteResult(true, null), first);
        Assert.True(updated.Applied);
        Assert.Equal((2L, "finding#returns"), (updated.Attributes!.Number("count"), updated.Attributes.Text("PK")));
        Assert.Equal(2, old.Attributes!.Number("count"));
        Assert.True(replaced.Applied);
        Assert.Equal(3, replaced.Attributes!.Number("count"));
        Assert.Equal(10, (await ReadBack(aws, key))!.Number("count"));
    }

    [Fact]
    public async Task A_query_read_through_every_page_returns_every_item_in_sort_key_order_and_each_page_is_counted()
    {
        using var aws = dynamo.Connect();
        const string Partition = "role#paged";
        var sortKeys = Enumerable.Range(0, 23).Select(i => $"finding#{i:D3}").ToList();
        foreach (var sortKey in sortKeys.AsEnumerable().Reverse())
        {
            await aws.DynamoDb.PutItemAsync(new DynamoPut(dynamo.TableName, Key(Partition, sortKey), null, DynamoExpressionTerms.None), None);
        }
        await aws.DynamoDb.PutItemAsync(new DynamoPut(dynamo.TableName, Key(Partition, "other#1"), null, DynamoExpressionTerms.None), None);
        var query = new DynamoQuery(dynamo.TableName, null, "PK = :pk AND begins_with(SK, :prefix)",
            Terms((":pk", new DynamoValue.S(Partition)), (":prefix", new DynamoValue.S("finding#"))), Limit: 5, ConsistentRead: true);
        var counter = new ApiCallCounter();

        var read = new List<string>();
        var pages = 0;
        using (ApiCallCounting.Begin(counter))
        {
            await foreach (var page in Pages.ReadAllAsync(AwsActions.Query, (marker, ct) => aws.DynamoDb.QueryAsync(query, marker, ct), None))
            {
                pages++;
                Assert.True(page.Items.Count <= 5);
                read.AddRange(page.Items.Select(i => i.Text("SK")!));
            }
        }

        Assert.Equal(sortKeys, read);
        Assert.True(pages >= 5, $"{pages} pages");
        Assert.Equal($"{pages} AWS API calls (dynamodb:Query {pages})", counter.ToString());
    }

    [Fact]
    public async Task A_query_of_the_open_index_finds_items_by_its_keys_descending()
    {
        using var aws = dynamo.Connect();
        Assert.Contains("ByAccount", FindingsTableTemplate.IndexNames);
        foreach (var (finding, open) in new[] { ("a", "2026-01-03"), ("b", "2026-01-01"), ("c", "2026-01-02") })
        {
            await aws.DynamoDb.PutItemAsync(new DynamoPut(dynamo.TableName, DynamoItem.Of(
                ("PK", new DynamoValue.S("finding#" + finding)), ("SK", new DynamoValue.S("state")),
                ("accountPk", new DynamoValue.S("open#index-test")), ("accountSk", new DynamoValue.S(open))), null, DynamoExpressionTerms.None), None);
        }
        await aws.DynamoDb.PutItemAsync(new DynamoPut(dynamo.TableName, Key("finding#closed", "state"), null, DynamoExpressionTerms.None), None);
        var query = new DynamoQuery(dynamo.TableName, "ByAccount", "accountPk = :open", Terms((":open", new DynamoValue.S("open#index-test"))), ScanIndexForward: false);

        var page = await aws.DynamoDb.QueryAsync(query, null, None);

        Assert.Equal(["finding#a", "finding#c", "finding#b"], page.Items.Select(i => i.Text("PK")));
        Assert.Null(page.NextMarker);
    }

    [Fact]
    public async Task A_missing_table_is_a_service_error_with_dynamodbs_code_and_is_not_retried()
    {
        using var aws = dynamo.Connect();
        var counter = new ApiCallCounter();

        AwsServiceException error, writeError;
        using (ApiCallCounting.Begin(counter))
        {
            error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.DynamoDb.QueryAsync(ItemQuery("no-such-table", Key("a", "b"), consistentRead: false), null, None));
            // A write is no different: only a failed condition is an answer rather than an error.
            writeError = await Assert.ThrowsAsync<AwsServiceException>(() => aws.DynamoDb.UpdateItemAsync(
                new DynamoUpdate("no-such-table", Key("a", "b"), "SET a = :a", "attribute_not_exists(PK)", Terms((":a", DynamoValue.N.Of(1)))), None));
        }

        Assert.Equal(("DynamoDB", "ResourceNotFoundException", HttpStatusCode.BadRequest), (error.ServiceId, error.ErrorCode, error.StatusCode));
        Assert.Equal(("DynamoDB", "ResourceNotFoundException", HttpStatusCode.BadRequest), (writeError.ServiceId, writeError.ErrorCode, writeError.StatusCode));
        Assert.Equal("2 AWS API calls (dynamodb:Query 1, dynamodb:UpdateItem 1)", counter.ToString());
    }

    [Fact]
    public async Task A_marker_that_no_query_gave_is_refused_before_anything_is_sent()
    {
        using var aws = dynamo.Connect();
        var query = new DynamoQuery(dynamo.TableName, null, "PK = :pk", Terms((":pk", new DynamoValue.S("x"))));

        await Assert.ThrowsAsync<ArgumentException>(() => aws.DynamoDb.QueryAsync(query, "not a marker", None));
    }

    // Numbers compare by value as DynamoDB keeps them (it may normalise "3.140" to "3.14"): compared as decimals.
    private static string Canonical(DynamoValue value) => value switch
    {
        DynamoValue.N n => decimal.Parse(n.Value, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture),
        DynamoValue.L l => "[" + string.Join(",", l.Items.Select(Canonical)) + "]",
        DynamoValue.M m => "{" + string.Join(",", m.Map.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + ":" + Canonical(a.Value))) + "}",
        _ => value.ToString(),
    };
}
