using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Pipeline;

namespace EcsRoleAuditor.State.Dynamo;

/// <summary>
/// The revision cache of one account and region in the findings table: one partition <c>REVISIONS#account#region</c>
/// holding an item per family (<c>FAMILY#name</c>: the newest ACTIVE revision's ARN and number, the DescribeTaskDefinition
/// answer, when it was described, and a TTL). A sweep reads the partition with one Query (paged by the megabyte) and
/// writes only what it described; each write is one conditional PutItem in which the later description wins.
/// </summary>
internal sealed class DynamoRevisionCache(IDynamoDbApi dynamo, string tableName, string account, string region, TimeProvider time) : IRevisionCache
{
    private const string FamilyPrefix = "FAMILY#";
    private const string Arn = "taskDefinitionArn", Revision = "revision", Answer = "answer", DescribedAt = "describedAt", ExpiresAt = "expiresAt";

    private string Partition => $"REVISIONS#{account}#{region}";

    public async Task<IReadOnlyList<CachedRevision>> ReadAsync(CancellationToken cancellationToken)
    {
        var terms = new TermsBuilder().Name("#pk", "PK").Value(":pk", new DynamoValue.S(Partition)).Build();
        var items = await TermsBuilder.QueryAllAsync(dynamo, new DynamoQuery(tableName, null, "#pk = :pk", terms), item => item, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        // An item that cannot be read is not kept: its family is described, as without a cache.
        return [.. items.Select(TryRead).OfType<CachedRevision>().Where(kept => StoreRules.RevisionCurrent(kept.Family, kept.DescribedAt, now))];
    }

    public async Task KeepAsync(IReadOnlyList<CachedRevision> answers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answers);
        foreach (var answer in answers.Where(a => StoreRules.Keepable(a.Answer)))
        {
            var item = DynamoItem.Of(
                ("PK", new DynamoValue.S(Partition)), ("SK", new DynamoValue.S(FamilyPrefix + answer.Family)),
                (Arn, new DynamoValue.S(answer.TaskDefinitionArn)), (Revision, DynamoValue.N.Of(answer.Revision)),
                (Answer, new DynamoValue.S(answer.Answer)), (DescribedAt, new DynamoValue.S(FindingItems.Time(answer.DescribedAt))),
                (ExpiresAt, DynamoValue.N.Of((answer.DescribedAt + StoreRules.RevisionExpiry).ToUnixTimeSeconds())));
            var terms = new TermsBuilder().Name("#at", DescribedAt).Value(":at", new DynamoValue.S(FindingItems.Time(answer.DescribedAt)))
                .Value(":ahead", new DynamoValue.S(FindingItems.Time(time.GetUtcNow() + StoreRules.RevisionClockSkew))).Value(":s", new DynamoValue.S("S")).Build();
            // A condition that fails means a later description is kept: nothing to do. A time past the clock skew, or not
            // a time string (which sorts after every time, or compares with none), is replaced: else it never would be.
            await dynamo.PutItemAsync(new DynamoPut(tableName, item,
                "attribute_not_exists(#at) OR NOT attribute_type(#at, :s) OR #at < :at OR #at > :ahead", terms), cancellationToken).ConfigureAwait(false);
        }
    }

    private static CachedRevision? TryRead(DynamoItem item)
    {
        var family = item.Text("SK") is { } sk && sk.StartsWith(FamilyPrefix, StringComparison.Ordinal) ? sk[FamilyPrefix.Length..] : null;
        var at = FindingItems.ParseTime(item.Text(DescribedAt));
        return (family, item.Text(Arn), item.Number(Revision), item.Text(Answer), at) is ({ } f, { } arn, { } n and >= 1 and <= int.MaxValue, { } answer, { } described)
            ? new CachedRevision(f, arn, (int)n, answer, described)
            : null;
    }
}
