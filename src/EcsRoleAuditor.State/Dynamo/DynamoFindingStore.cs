using System.Collections.Immutable;
using System.Globalization;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Pipeline;

namespace EcsRoleAuditor.State.Dynamo;

/// <summary>
/// The store on one DynamoDB table (docs/state.md): a finding is the item <c>TD#account#region#family</c> /
/// <c>FINDING#fingerprint</c>, so one Query reads what a family showed; its history lives under
/// <c>FINDING#fingerprint</c> / <c>H#time#status</c> with a TTL. Every decision is one conditional UpdateItem.
/// </summary>
/// <param name="dynamo">The DynamoDB client.</param>
/// <param name="tableName">STATE_TABLE.</param>
/// <param name="time">The clock (history past its <c>expiresAt</c> is not returned).</param>
/// <param name="historyDays">How long history is kept (its <c>expiresAt</c>).</param>
public sealed class DynamoFindingStore(IDynamoDbApi dynamo, string tableName, TimeProvider time, int historyDays = StoreRules.DefaultHistoryDays) : IFindingStore
{
    private const string Pk = "PK", Sk = "SK";

    /// <summary>The table.</summary>
    public string TableName { get; } = !string.IsNullOrWhiteSpace(tableName) ? tableName : throw new ArgumentException("A table name is required.", nameof(tableName));

    /// <inheritdoc />
    public IFamilyHeadIndex HeadIndex(string account, string region) => new DynamoFamilyHeads(dynamo, TableName, account, region, time);

    /// <inheritdoc />
    public IRevisionCache RevisionCache(string account, string region) => new DynamoRevisionCache(dynamo, TableName, account, region, time);

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredFinding>> FamilyFindingsAsync(FamilyKey family, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(family);
        return await QueryAsync(FindingItems.FamilyPk(family), FindingItems.FindingSkPrefix, item => FindingItems.Read(item, TableName), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Observed> ObserveAsync(Observation observation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var o = observation;
        if (o.Alertable)
        {
            var claim = Update(o, FindingStatus.Open, claim: true);
            var claimed = await dynamo.UpdateItemAsync(claim, cancellationToken).ConfigureAwait(false);
            if (claimed.Applied)
            {
                var opened = await RecordChangeAsync(claimed.Attributes, o.Fingerprint, FindingStatus.Open, o.Finding.Severity, o.Revision, o.At, cancellationToken).ConfigureAwait(false);
                return new Observed(ObserveResult.Alert, opened);
            }
        }
        var shown = StoreRules.StatusShown(o.Finding);
        var touched = await dynamo.UpdateItemAsync(Update(o, shown, claim: false), cancellationToken).ConfigureAwait(false);
        if (!touched.Applied)
        {
            return new Observed(ObserveResult.Outdated, Opened: false);
        }
        var changed = await RecordChangeAsync(touched.Attributes, o.Fingerprint, shown, o.Finding.Severity, o.Revision, o.At, cancellationToken).ConfigureAwait(false);
        return new Observed(ObserveResult.Recorded, changed && shown == FindingStatus.Open);
    }

    /// <inheritdoc />
    public async Task<Resolved> ResolveAsync(Resolution resolution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        var r = resolution;
        var terms = new TermsBuilder()
            .Name("#status", FindingItems.Status).Name("#resolvedAt", FindingItems.ResolvedAt).Name("#evidence", FindingItems.EvidenceRevision)
            .Name("#alertedRank", FindingItems.AlertedRank).Name("#accountSk", FindingItems.AccountSk)
            .Value(":resolved", S(StoreRules.Name(FindingStatus.Resolved))).Value(":open", S(StoreRules.Name(FindingStatus.Open)))
            .Value(":at", S(FindingItems.Time(r.At))).Value(":rev", DynamoValue.N.Of(r.Revision)).Value(":bound", DynamoValue.N.Of(r.EvidenceBound))
            .Value(":accountSk", S(FindingItems.AccountSort(FindingStatus.Resolved, r.Severity, r.Family.Family, r.Fingerprint)));
        var set = "SET #status = :resolved, #resolvedAt = if_not_exists(#resolvedAt, :at), #evidence = :rev, #accountSk = :accountSk";
        var condition = "(#status = :open AND #evidence <= :bound)";
        if (r.Announce)
        {
            terms.Name("#claim", FindingItems.PendingClaim).Name("#reason", FindingItems.PendingReason).Name("#since", FindingItems.PendingSince)
                .Value(":claim", S(r.Claim)).Value(":reason", S(StoreRules.ResolvedReason));
            set += ", #claim = :claim, #reason = :reason, #since = :at";
            condition += " OR (#status = :resolved AND #claim = :claim)";
        }
        var update = new DynamoUpdate(TableName, FindingItems.Key(r.Family, r.Fingerprint), set + " REMOVE #alertedRank", condition, terms.Build(), DynamoReturnValues.AllOld);
        var result = await dynamo.UpdateItemAsync(update, cancellationToken).ConfigureAwait(false);
        if (!result.Applied)
        {
            return new Resolved(Applied: false, Announce: false);
        }
        var changed = await RecordChangeAsync(result.Attributes, r.Fingerprint, FindingStatus.Resolved, r.Severity, r.Revision, r.At, cancellationToken).ConfigureAwait(false);
        return new Resolved(changed, r.Announce);
    }

    /// <inheritdoc />
    public async Task<bool> ClaimReminderAsync(Reminder reminder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reminder);
        var r = reminder;
        var terms = new TermsBuilder()
            .Name("#status", FindingItems.Status).Name("#alertedRank", FindingItems.AlertedRank).Name("#lastAlerted", FindingItems.LastAlerted)
            .Name("#claim", FindingItems.PendingClaim).Name("#reason", FindingItems.PendingReason).Name("#since", FindingItems.PendingSince)
            .Value(":open", S(StoreRules.Name(FindingStatus.Open))).Value(":before", S(FindingItems.Time(r.AlertedBefore)))
            .Value(":claim", S(r.Claim)).Value(":reason", S(StoreRules.ReminderReason)).Value(":at", S(FindingItems.Time(r.At)))
            .Value(":staleBefore", S(FindingItems.Time(r.At - StoreRules.ClaimTimeout)));
        var update = new DynamoUpdate(TableName, FindingItems.Key(r.Family, r.Fingerprint), "SET #claim = :claim, #reason = :reason, #since = :at",
            "#status = :open AND attribute_exists(#alertedRank) AND #lastAlerted < :before AND (attribute_not_exists(#claim) OR #claim = :claim OR #since < :staleBefore)",
            terms.Build());
        return (await dynamo.UpdateItemAsync(update, cancellationToken).ConfigureAwait(false)).Applied;
    }

    /// <inheritdoc />
    public Task DeliveredAsync(FamilyKey family, string fingerprint, string claim, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(family);
        var terms = new TermsBuilder()
            .Name("#claim", FindingItems.PendingClaim).Name("#reason", FindingItems.PendingReason).Name("#since", FindingItems.PendingSince).Name("#lastAlerted", FindingItems.LastAlerted)
            .Value(":claim", S(claim)).Value(":at", S(FindingItems.Time(at)));
        // A claim already cleared (a retry after the confirmation was written) is not an error: the condition just fails.
        return dynamo.UpdateItemAsync(new DynamoUpdate(TableName, FindingItems.Key(family, fingerprint),
            "SET #lastAlerted = :at REMOVE #claim, #reason, #since", "#claim = :claim", terms.Build()), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<FindingChange>> HistoryAsync(string fingerprint, CancellationToken cancellationToken)
    {
        var changes = await QueryAsync(FindingItems.HistoryPk(fingerprint), FindingItems.HistorySkPrefix, item => FindingItems.ReadChange(item, fingerprint, TableName), cancellationToken).ConfigureAwait(false);
        // TTL deletes expired items within days, not at once (DynamoDB Developer Guide, "Using time to live"): skip them.
        var now = time.GetUtcNow();
        return [.. changes.Where(c => c.ExpiresAt > now).OrderBy(c => c.At)];
    }

    // The claim write (alert this finding) and the plain record differ in what they set and under which condition.
    private DynamoUpdate Update(Observation o, FindingStatus status, bool claim)
    {
        var finding = o.Finding;
        var terms = new TermsBuilder();
        var set = new List<string>();
        var remove = new List<string> { FindingItems.ResolvedAt };
        void Set(string attribute, DynamoValue value)
        {
            var name = terms.NameOf(attribute);
            set.Add($"{name} = {terms.ValueOf(attribute, value)}");
        }
        Set(FindingItems.Fingerprint, S(o.Fingerprint));
        Set(FindingItems.Account, S(o.Family.Account));
        Set(FindingItems.Region, S(o.Family.Region));
        Set(FindingItems.Family, S(o.Family.Family));
        Set(FindingItems.RuleId, S(finding.RuleId));
        Set(FindingItems.Slot, S(finding.RoleSlot.ToString()));
        if (finding.RoleArn is { } roleArn)
        {
            Set(FindingItems.RoleArn, S(roleArn));
        }
        else
        {
            remove.Add(FindingItems.RoleArn);
        }
        Set(FindingItems.Severity, S(finding.Severity.Name()));
        Set(FindingItems.Status, S(StoreRules.Name(status)));
        Set(FindingItems.LastSeen, S(FindingItems.Time(o.At)));
        Set(FindingItems.EvidenceRevision, DynamoValue.N.Of(o.Revision));
        Set(FindingItems.Message, S(StoreRules.Excerpt(finding.Message)));
        Set(FindingItems.Source, S(StoreRules.Excerpt(finding.Source.ToString())));
        var firstSeen = terms.NameOf(FindingItems.FirstSeen);
        set.Add($"{firstSeen} = if_not_exists({firstSeen}, {terms.ValueOf("at", S(FindingItems.Time(o.At)))})");
        Set(FindingItems.AccountPk, S(FindingItems.AccountPartition(o.Family.Account)));
        Set(FindingItems.AccountSk, S(FindingItems.AccountSort(status, finding.Severity, o.Family.Family, o.Fingerprint)));
        if (status != FindingStatus.Open)
        {
            remove.Add(FindingItems.AlertedRank);
        }
        var evidence = $"(attribute_not_exists({terms.NameOf(FindingItems.EvidenceRevision)}) OR {terms.NameOf(FindingItems.EvidenceRevision)} <= {terms.ValueOf("evidenceBound", DynamoValue.N.Of(o.EvidenceBound))})";
        string condition;
        if (claim)
        {
            var rank = DynamoValue.N.Of((long)finding.Severity);
            Set(FindingItems.AlertedRank, rank);
            Set(FindingItems.PendingClaim, S(o.Claim));
            Set(FindingItems.PendingReason, S(StoreRules.Name(o.Reason)));
            Set(FindingItems.PendingSince, S(FindingItems.Time(o.At)));
            var (pending, since, statusName, alerted) = (terms.NameOf(FindingItems.PendingClaim), terms.NameOf(FindingItems.PendingSince), terms.NameOf(FindingItems.Status), terms.NameOf(FindingItems.AlertedRank));
            var staleBefore = terms.ValueOf("staleBefore", S(FindingItems.Time(o.At - StoreRules.ClaimTimeout)));
            var open = terms.ValueOf("open", S(StoreRules.Name(FindingStatus.Open)));
            var reminder = terms.ValueOf("reminder", S(StoreRules.ReminderReason));
            condition = $"{evidence} AND (attribute_not_exists({pending}) OR {pending} = {terms.ValueOf(FindingItems.PendingClaim, S(o.Claim))} OR {since} < {staleBefore})"
                + $" AND (attribute_not_exists({statusName}) OR {statusName} <> {open} OR attribute_not_exists({alerted}) OR {alerted} < {terms.ValueOf(FindingItems.AlertedRank, rank)}"
                + $" OR (attribute_exists({pending}) AND {terms.NameOf(FindingItems.PendingReason)} <> {reminder}))";
        }
        else
        {
            condition = evidence;
        }
        var expression = "SET " + string.Join(", ", set) + " REMOVE " + string.Join(", ", remove.Distinct(StringComparer.Ordinal).Select(terms.NameOf));
        return new DynamoUpdate(TableName, FindingItems.Key(o.Family, o.Fingerprint), expression, condition, terms.Build(), DynamoReturnValues.AllOld);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredFinding>> AccountFindingsAsync(string account, FindingStatus? status, CancellationToken cancellationToken)
    {
        var terms = new TermsBuilder().Name("#pk", FindingItems.AccountPk).Value(":pk", S(FindingItems.AccountPartition(account)));
        var condition = "#pk = :pk";
        if (status is { } only)
        {
            terms.Name("#sk", FindingItems.AccountSk).Value(":prefix", S(FindingItems.AccountSortPrefix(only)));
            condition += " AND begins_with(#sk, :prefix)";
        }
        // An index answers eventually consistent: what the command lists may trail the newest writes by a moment.
        var query = new DynamoQuery(TableName, FindingItems.ByAccountIndex, condition, terms.Build());
        return await QueryAllAsync(query, item => FindingItems.Read(item, TableName), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DailyCount>> DailyCountsAsync(string account, DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        var terms = new TermsBuilder().Name("#pk", Pk).Name("#sk", Sk).Value(":pk", S(FindingItems.DayPk(account)))
            .Value(":from", S(FindingItems.DaySk(first))).Value(":to", S(FindingItems.DaySk(last))).Build();
        var query = new DynamoQuery(TableName, null, "#pk = :pk AND #sk BETWEEN :from AND :to", terms, ConsistentRead: true);
        var now = time.GetUtcNow();
        return [.. (await QueryAllAsync(query, item => FindingItems.ReadDay(item, account, TableName), cancellationToken).ConfigureAwait(false)).Where(d => d.ExpiresAt > now)];
    }

    /// <inheritdoc />
    public async Task CountAsync(string account, DateOnly day, int opened, int resolved, CancellationToken cancellationToken)
    {
        var expires = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(historyDays + 1);
        var terms = new TermsBuilder().Name("#opened", FindingItems.Opened).Name("#resolved", FindingItems.Resolved).Name("#expiresAt", FindingItems.ExpiresAt)
            .Value(":opened", DynamoValue.N.Of(opened)).Value(":resolved", DynamoValue.N.Of(resolved)).Value(":expiresAt", DynamoValue.N.Of(expires.ToUnixTimeSeconds())).Build();
        var key = DynamoItem.Of(("PK", S(FindingItems.DayPk(account))), ("SK", S(FindingItems.DaySk(day))));
        // ADD is atomic: concurrent invocations counting the same day never lose a count.
        await dynamo.UpdateItemAsync(new DynamoUpdate(TableName, key, "ADD #opened :opened, #resolved :resolved SET #expiresAt = :expiresAt", null, terms), cancellationToken).ConfigureAwait(false);
    }

    // One history item per status change; the old image tells whether the status changed (true when it did).
    private async Task<bool> RecordChangeAsync(DynamoItem? old, string fingerprint, FindingStatus status, Severity severity, int revision, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (old is not null && StoreRules.ParseStatus(old.Text(FindingItems.Status)) == status)
        {
            return false;
        }
        var change = new FindingChange(fingerprint, at, status, severity, revision, at.AddDays(historyDays));
        await dynamo.PutItemAsync(new DynamoPut(TableName, FindingItems.Write(change), null, DynamoExpressionTerms.None), cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static DynamoValue.S S(string value) => new(value);

    // Every item of one partition whose sort key starts with the prefix, all pages, strongly consistent.
    private Task<List<T>> QueryAsync<T>(string partition, string sortPrefix, Func<DynamoItem, T> read, CancellationToken cancellationToken)
    {
        var terms = new TermsBuilder().Name("#pk", Pk).Name("#sk", Sk).Value(":pk", S(partition)).Value(":prefix", S(sortPrefix)).Build();
        return QueryAllAsync(new DynamoQuery(TableName, null, "#pk = :pk AND begins_with(#sk, :prefix)", terms, ConsistentRead: true), read, cancellationToken);
    }

    private Task<List<T>> QueryAllAsync<T>(DynamoQuery query, Func<DynamoItem, T> read, CancellationToken cancellationToken) =>
        TermsBuilder.QueryAllAsync(dynamo, query, read, cancellationToken);
}
