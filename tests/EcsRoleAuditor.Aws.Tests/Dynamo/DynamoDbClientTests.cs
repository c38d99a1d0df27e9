using System.Collections.Immutable;
using System.Net;
using EcsRoleAuditor.Aws.Api;
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
        var read = await aws.DynamoDb.GetItemAsync(dynamo.TableName, Key("finding#round-trip", "state"), consistentRead: true, None);

        Assert.Equal(new DynamoWriteResult(true, null), put);
        Assert.NotNull(read);
        Assert.Equal(item.Keys.Order(StringComparer.Ordinal), read.Attributes.Keys.Order(StringComparer.Ordinal));
        Assert.All(item, a => Assert.Equal(Canonical(a.Value), Canonical(read[a.Key]!)));
        Assert.Equal(-42, read.Number("count"));
        Assert.Equal(long.MaxValue, read.Number("big"));
    }

    [Fact]
    public async Task A_missing_item_is_null()
    {
        using var aws = dynamo.Connect();

        Assert.Null(await aws.DynamoDb.GetItemAsync(dynamo.TableName, Key("finding#absent", "state"), consistentRead: false, None));
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
        var delete = await aws.DynamoDb.DeleteItemAsync(new DynamoDelete(dynamo.TableName, key, "alerted = :zero", Terms((":zero", DynamoValue.N.Of(0)))), None);

        Assert.Equal(new DynamoWriteResult(false, null), update);
        Assert.Equal(new DynamoWriteResult(false, null), put);
        Assert.Equal(new DynamoWriteResult(false, null), delete);
        Assert.Equal(1, (await aws.DynamoDb.GetItemAsync(dynamo.TableName, key, true, None))!.Number("alerted"));
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
        var deleted = await aws.DynamoDb.DeleteItemAsync(new DynamoDelete(dynamo.TableName, key, "attribute_exists(PK)", DynamoExpressionTerms.None, DynamoReturnValues.AllOld), None);

        Assert.Equal(new DynamoWriteResult(true, null), first);
        Assert.True(updated.Applied);
        Assert.Equal((2L, "finding#returns"), (updated.Attributes!.Number("count"), updated.Attributes.Text("PK")));
        Assert.Equal(2, old.Attributes!.Number("count"));
        Assert.Equal(3, deleted.Attributes!.Number("count"));
        Assert.Null(await aws.DynamoDb.GetItemAsync(dynamo.TableName, key, true, None));
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

        AwsServiceException error;
        using (ApiCallCounting.Begin(counter))
        {
            error = await Assert.ThrowsAsync<AwsServiceException>(() => aws.DynamoDb.GetItemAsync("no-such-table", Key("a", "b"), false, None));
        }

        Assert.Equal(("DynamoDB", "ResourceNotFoundException", HttpStatusCode.BadRequest), (error.ServiceId, error.ErrorCode, error.StatusCode));
        Assert.Equal("1 AWS API call (dynamodb:GetItem 1)", counter.ToString());
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
