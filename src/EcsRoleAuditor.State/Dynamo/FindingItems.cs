using System.Globalization;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.State.Dynamo;

/// <summary>The table's keys and attributes for findings and their history (docs/state.md lists every item type).</summary>
internal static class FindingItems
{
    public const string Fingerprint = "fingerprint", Account = "account", Region = "region", Family = "family", RuleId = "ruleId", Slot = "slot",
        RoleArn = "roleArn", Severity = "severity", Status = "status", FirstSeen = "firstSeen", LastSeen = "lastSeen", LastAlerted = "lastAlerted",
        AlertedRank = "alertedRank", EvidenceRevision = "evidenceRevision", Message = "message", Source = "source", PendingClaim = "pendingClaim",
        PendingReason = "pendingReason", PendingSince = "pendingSince", ResolvedAt = "resolvedAt", AccountPk = "accountPk", AccountSk = "accountSk",
        At = "at", Revision = "revision", ExpiresAt = "expiresAt", Day = "day", Opened = "opened", Resolved = "resolved";

    /// <summary>The global secondary index over findings by account (only finding items carry its keys).</summary>
    public const string ByAccountIndex = "ByAccount";

    public const string FindingSkPrefix = "FINDING#", HistorySkPrefix = "H#";

    public static string FamilyPk(FamilyKey family) => $"TD#{family.Account}#{family.Region}#{family.Family}";

    public static string HistoryPk(string fingerprint) => "FINDING#" + fingerprint;

    public static string AccountPartition(string account) => "ACCOUNT#" + account;

    /// <summary>By status, then most severe first, then family: <c>OPEN#0#billing-worker#fp1-...</c>.</summary>
    public static string AccountSort(FindingStatus status, Audit.Findings.Severity severity, string family, string fingerprint) =>
        string.Create(CultureInfo.InvariantCulture, $"{AccountSortPrefix(status)}{(int)Audit.Findings.Severity.Critical - (int)severity}#{family}#{fingerprint}");

    public static string AccountSortPrefix(FindingStatus status) => StoreRules.Name(status) + "#";

    public static string DayPk(string account) => "DAY#" + account;

    public static string DaySk(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DailyCount ReadDay(DynamoItem item, string account, string table)
    {
        var reader = new ItemReader(item, table);
        return new DailyCount(account,
            DateOnly.TryParseExact(item.Text("SK"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : throw reader.Invalid("SK"),
            (int)(item.Number(Opened) ?? 0), (int)(item.Number(Resolved) ?? 0), DateTimeOffset.FromUnixTimeSeconds(reader.Long(ExpiresAt)));
    }

    public static DynamoItem Key(FamilyKey family, string fingerprint) =>
        DynamoItem.Of(("PK", new DynamoValue.S(FamilyPk(family))), ("SK", new DynamoValue.S(FindingSkPrefix + fingerprint)));

    /// <summary>A time as <see cref="Time"/> writes it, or null when <paramref name="text"/> is null or no time.</summary>
    public static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;

    /// <summary>UTC with milliseconds, fixed width, so that DynamoDB's string comparison orders times.</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static DynamoItem Write(FindingChange change) => DynamoItem.Of(
        ("PK", new DynamoValue.S(HistoryPk(change.Fingerprint))),
        ("SK", new DynamoValue.S($"{HistorySkPrefix}{Time(change.At)}#{StoreRules.Name(change.Status)}")),
        (Status, new DynamoValue.S(StoreRules.Name(change.Status))),
        (Severity, new DynamoValue.S(change.Severity.Name())),
        (Revision, DynamoValue.N.Of(change.Revision)),
        (At, new DynamoValue.S(Time(change.At))),
        // TTL reads epoch seconds from a Number attribute (DynamoDB Developer Guide, "Using time to live").
        (ExpiresAt, DynamoValue.N.Of(change.ExpiresAt.ToUnixTimeSeconds())));

    public static FindingChange ReadChange(DynamoItem item, string fingerprint, string table)
    {
        var reader = new ItemReader(item, table);
        return new FindingChange(fingerprint, reader.Time(At), reader.Status(), reader.Severity(), reader.Int(Revision),
            DateTimeOffset.FromUnixTimeSeconds(reader.Long(ExpiresAt)));
    }

    public static StoredFinding Read(DynamoItem item, string table)
    {
        var r = new ItemReader(item, table);
        var alertedRank = item.Number(AlertedRank);
        return new StoredFinding(
            r.Text(Fingerprint),
            new FamilyKey(r.Text(Account), r.Text(Region), r.Text(Family)),
            r.Text(RuleId),
            Enum.TryParse<RoleSlot>(r.Text(Slot), out var slot) ? slot : throw r.Invalid(Slot),
            item.Text(RoleArn),
            r.Severity(),
            r.Status(),
            r.Time(FirstSeen),
            r.Time(LastSeen),
            r.OptionalTime(LastAlerted),
            alertedRank is >= (int)Audit.Findings.Severity.Info and <= (int)Audit.Findings.Severity.Critical ? (Audit.Findings.Severity)alertedRank.Value : null,
            r.Int(EvidenceRevision),
            r.Text(Message),
            r.Text(Source),
            item.Text(PendingClaim),
            item.Text(PendingReason),
            r.OptionalTime(PendingSince),
            r.OptionalTime(ResolvedAt));
    }

    /// <summary>Reads required attributes; one that is missing or malformed is an error naming the table, the item and the attribute.</summary>
    private readonly struct ItemReader(DynamoItem item, string table)
    {
        public string Text(string name) => item.Text(name) ?? throw Invalid(name);

        public long Long(string name) => item.Number(name) ?? throw Invalid(name);

        public int Int(string name) => item.Number(name) is { } n and >= int.MinValue and <= int.MaxValue ? (int)n : throw Invalid(name);

        public DateTimeOffset Time(string name) => OptionalTime(name) ?? throw Invalid(name);

        public DateTimeOffset? OptionalTime(string name) => item.Text(name) switch
        {
            null => null,
            var text => ParseTime(text) ?? throw Invalid(name),
        };

        public Audit.Findings.Severity Severity() => SeverityNames.TryParse(item.Text(FindingItems.Severity), out var severity) ? severity : throw Invalid(FindingItems.Severity);

        public FindingStatus Status() => StoreRules.ParseStatus(item.Text(FindingItems.Status)) ?? throw Invalid(FindingItems.Status);

        public InvalidDataException Invalid(string name) =>
            new($"The findings table {table} holds an item ({item.Text("PK")} / {item.Text("SK")}) whose attribute {name} is missing or malformed.");
    }
}
