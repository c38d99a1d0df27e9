using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Pipeline;

namespace EcsRoleAuditor.State.Dynamo;

/// <summary>
/// The family heads of one account and region in the findings table: one partition <c>HEADS#account#region</c> holding
/// an item per family (<c>FAMILY#name</c>: the newest ACTIVE revision's ARN, number and roles, whether the family is
/// still ACTIVE, and when the head was recorded) and the item <c>COMPLETE</c> once a complete listing was recorded. One
/// Query (a page holds thousands of heads) answers a role event; a sweep writes only the heads that changed.
/// </summary>
internal sealed class DynamoFamilyHeads(IDynamoDbApi dynamo, string tableName, string account, string region, TimeProvider time) : IFamilyHeadIndex
{
    private const string FamilyPrefix = "FAMILY#", CompleteSk = "COMPLETE";
    private const string Arn = "taskDefinitionArn", Revision = "revision", TaskRole = "taskRoleArn", ExecutionRole = "executionRoleArn", Active = "active", At = "at";

    private string Partition => $"HEADS#{account}#{region}";

    public async Task<IReadOnlyList<FamilyHead>?> HeadsAsync(CancellationToken cancellationToken)
    {
        var (heads, complete) = await ReadAsync(cancellationToken).ConfigureAwait(false);
        return complete ? [.. heads.Where(h => h.Active).Select(h => h.Head)] : null;
    }

    public async Task RecordAsync(IReadOnlyList<FamilyHead> heads, bool complete, DateTimeOffset listedAt, IReadOnlyList<FamilyHead>? known, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heads);
        // What is stored, to write only changes: given by the run, read here when a complete listing needs it.
        IReadOnlyList<(FamilyHead Head, bool Active)>? stored = known?.Select(h => (h, true)).ToList();
        if (complete && stored is null)
        {
            stored = (await ReadAsync(cancellationToken).ConfigureAwait(false)).Heads;
        }
        var unchanged = (stored ?? []).Where(s => s.Active).Select(s => s.Head).ToHashSet();
        var now = new DynamoValue.S(Dynamo.FindingItems.Time(time.GetUtcNow()));
        foreach (var head in heads.Where(h => !unchanged.Contains(h)))
        {
            var terms = new TermsBuilder()
                .Name("#arn", Arn).Name("#revision", Revision).Name("#task", TaskRole).Name("#execution", ExecutionRole).Name("#active", Active).Name("#at", At)
                .Value(":arn", new DynamoValue.S(head.TaskDefinitionArn)).Value(":revision", DynamoValue.N.Of(head.Revision)).Value(":true", new DynamoValue.Bool(true))
                .Value(":task", Text(head.TaskRoleArn)).Value(":execution", Text(head.ExecutionRoleArn)).Value(":now", now);
            // A newer revision recorded meanwhile (a registration during a sweep) is kept; a complete listing lowers one
            // recorded well before it began (deregistered), or by a version that kept no time (long ago).
            var condition = "attribute_not_exists(#revision) OR #revision <= :revision";
            if (complete)
            {
                terms.Value(":before", new DynamoValue.S(Dynamo.FindingItems.Time(listedAt - StoreRules.ListingMargin)));
                condition += " OR attribute_not_exists(#at) OR #at < :before";
            }
            await dynamo.UpdateItemAsync(new DynamoUpdate(tableName, Key(FamilyPrefix + head.Family),
                "SET #arn = :arn, #revision = :revision, #task = :task, #execution = :execution, #active = :true, #at = :now",
                condition, terms.Build()), cancellationToken).ConfigureAwait(false);
        }
        if (!complete)
        {
            return;
        }
        var listed = heads.Select(h => h.Family).ToHashSet(StringComparer.Ordinal);
        foreach (var (gone, _) in (stored ?? []).Where(s => s.Active && !listed.Contains(s.Head.Family)))
        {
            var terms = new TermsBuilder().Name("#revision", Revision).Name("#active", Active)
                .Value(":revision", DynamoValue.N.Of(gone.Revision)).Value(":false", new DynamoValue.Bool(false));
            // Only the revision the listing saw gone: a revision registered since keeps the family ACTIVE.
            await dynamo.UpdateItemAsync(new DynamoUpdate(tableName, Key(FamilyPrefix + gone.Family), "SET #active = :false", "#revision <= :revision", terms.Build()),
                cancellationToken).ConfigureAwait(false);
        }
        var marker = new DynamoItem(Key(CompleteSk).Attributes.Add(At, now));
        await dynamo.PutItemAsync(new DynamoPut(tableName, marker, null, DynamoExpressionTerms.None), cancellationToken).ConfigureAwait(false);
    }

    public async Task ListedFamilyAsync(string family, FamilyHead? newest, DateTimeOffset listedAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(family);
        var terms = new TermsBuilder().Name("#revision", Revision).Name("#active", Active).Name("#at", At)
            .Value(":before", new DynamoValue.S(Dynamo.FindingItems.Time(listedAt - StoreRules.ListingMargin)));
        // As a complete listing decides: a revision recorded within the margin may have been registered while ECS was
        // listed, so it is kept; one recorded earlier (or without a time) and not listed was deregistered.
        const string Deregistered = "attribute_not_exists(#at) OR #at < :before";
        if (newest is null)
        {
            terms.Value(":false", new DynamoValue.Bool(false));
            // attribute_exists: UpdateItem would otherwise create a head for a family never recorded.
            await dynamo.UpdateItemAsync(new DynamoUpdate(tableName, Key(FamilyPrefix + family), "SET #active = :false",
                $"attribute_exists(#revision) AND ({Deregistered})", terms.Build()), cancellationToken).ConfigureAwait(false);
            return;
        }
        terms.Name("#arn", Arn).Name("#task", TaskRole).Name("#execution", ExecutionRole)
            .Value(":arn", new DynamoValue.S(newest.TaskDefinitionArn)).Value(":revision", DynamoValue.N.Of(newest.Revision)).Value(":true", new DynamoValue.Bool(true))
            .Value(":task", Text(newest.TaskRoleArn)).Value(":execution", Text(newest.ExecutionRoleArn)).Value(":now", new DynamoValue.S(Dynamo.FindingItems.Time(time.GetUtcNow())));
        await dynamo.UpdateItemAsync(new DynamoUpdate(tableName, Key(FamilyPrefix + family),
            "SET #arn = :arn, #revision = :revision, #task = :task, #execution = :execution, #active = :true, #at = :now",
            $"attribute_not_exists(#revision) OR #revision <= :revision OR {Deregistered}", terms.Build()), cancellationToken).ConfigureAwait(false);
    }

    private async Task<(IReadOnlyList<(FamilyHead Head, bool Active)> Heads, bool Complete)> ReadAsync(CancellationToken cancellationToken)
    {
        var terms = new TermsBuilder().Name("#pk", "PK").Value(":pk", new DynamoValue.S(Partition)).Build();
        var items = await TermsBuilder.QueryAllAsync(dynamo, new DynamoQuery(tableName, null, "#pk = :pk", terms, ConsistentRead: true), item => item, cancellationToken).ConfigureAwait(false);
        var heads = items.Where(i => i.Text("SK")?.StartsWith(FamilyPrefix, StringComparison.Ordinal) == true).Select(Read).ToList();
        return (heads, items.Any(i => i.Text("SK") == CompleteSk));
    }

    private (FamilyHead Head, bool Active) Read(DynamoItem item)
    {
        var family = item.Text("SK")![FamilyPrefix.Length..];
        var revision = item.Number(Revision) is { } n and >= 1 and <= int.MaxValue ? (int)n : throw Invalid(item, Revision);
        var arn = item.Text(Arn) ?? throw Invalid(item, Arn);
        return (new FamilyHead(family, arn, revision, item.Text(TaskRole), item.Text(ExecutionRole)), item[Active] is DynamoValue.Bool { Value: true });
    }

    private InvalidDataException Invalid(DynamoItem item, string attribute) =>
        new($"The findings table {tableName} holds an item ({item.Text("PK")} / {item.Text("SK")}) whose attribute {attribute} is missing or malformed.");

    private DynamoItem Key(string sortKey) => DynamoItem.Of(("PK", new DynamoValue.S(Partition)), ("SK", new DynamoValue.S(sortKey)));

    private static DynamoValue Text(string? value) => value is null ? new DynamoValue.Null() : new DynamoValue.S(value);
}
