using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Offline;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.EventAudit.Tests.Handling;

namespace EcsRoleAuditor.EventAudit.Tests.Organization;

/// <summary>
/// An organization in memory: each account a copy of the demo account (its ARNs rewritten to the account and region),
/// its reader role assumable unless <see cref="Unreachable"/> says otherwise (STS then answers AccessDenied).
/// </summary>
internal sealed class InMemoryOrganization : IMemberAccounts
{
    public const string Central = "111122223333";
    public const string Payments = "444455556666";
    public const string Sandbox = "777788889999";

    private readonly Dictionary<(string Account, string Region), InMemoryEcs> _ecs = [];
    private readonly Dictionary<string, IIamApi> _iam = new(StringComparer.Ordinal);

    /// <summary>Each account's Security Hub in each region, as its reader role reaches it.</summary>
    public Dictionary<(string Account, string Region), RecordingSecurityHub> SecurityHubs { get; } = [];

    /// <summary>Accounts whose reader role cannot be assumed.</summary>
    public HashSet<string> Unreachable { get; } = new(StringComparer.Ordinal);

    /// <summary>Every <see cref="OpenAsync"/>: account, region, session name.</summary>
    public List<(string Account, string Region, string Session)> Opened { get; } = [];

    /// <summary>Adds <paramref name="account"/> holding the demo account's roles and, in each region, its task definitions.</summary>
    public InMemoryOrganization With(string account, params string[] regions)
    {
        using var details = JsonDocument.Parse(DemoAccount.AccountJson.Replace(Central, account, StringComparison.Ordinal));
        _iam[account] = RecordedIam.Read(details.RootElement, $"account {account}");
        foreach (var region in regions)
        {
            _ecs[(account, region)] = new InMemoryEcs(DemoAccount.DescribeOutputs().ToDictionary(
                pair => Rewrite(pair.Key, account, region), pair => Rewrite(pair.Value, account, region), StringComparer.Ordinal));
        }
        return this;
    }

    public InMemoryEcs Ecs(string account, string region) => _ecs[(account, region)];

    /// <summary>The demo's text (an event, a describe output) moved to <paramref name="account"/> and <paramref name="region"/>.</summary>
    public static string Rewrite(string text, string account, string region) =>
        text.Replace(Central, account, StringComparison.Ordinal).Replace("eu-west-1", region, StringComparison.Ordinal);

    /// <summary>A sample event as if it happened in <paramref name="account"/> and <paramref name="region"/>.</summary>
    public static byte[] Event(string sample, string account, string region) =>
        Encoding.UTF8.GetBytes(Rewrite(Encoding.UTF8.GetString(DemoAccount.Event(sample)), account, region));

    public Task<MemberAccess> OpenAsync(string accountId, string region, string sessionName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Opened.Add((accountId, region, sessionName));
        var roleArn = $"arn:aws:iam::{accountId}:role/EcsRoleAuditorReader";
        if (Unreachable.Contains(accountId) || !_iam.TryGetValue(accountId, out var iam))
        {
            throw new AccountAccessException(accountId, roleArn, "AccessDenied");
        }
        // A region without task definitions answers empty lists, as ECS does.
        var ecs = _ecs.TryGetValue((accountId, region), out var found) ? found : new InMemoryEcs([]);
        if (!SecurityHubs.TryGetValue((accountId, region), out var hub))
        {
            SecurityHubs[(accountId, region)] = hub = new RecordingSecurityHub();
        }
        return Task.FromResult(new MemberAccess(ecs, iam) { SecurityHub = hub });
    }
}

/// <summary>Organizations' ListAccounts over a fixed list, in pages of <see cref="PageSize"/>, or failing with <see cref="Failure"/>.</summary>
internal sealed class InMemoryAccountList(params OrganizationAccount[] accounts) : IOrganizationsApi
{
    public int PageSize { get; init; } = 2;

    public string? Failure { get; set; }

    public int Calls { get; private set; }

    public Task<Page<OrganizationAccount>> ListAccountsAsync(string? nextToken, CancellationToken cancellationToken)
    {
        Calls++;
        ApiCallCounting.Record(AwsActions.ListAccounts);
        if (Failure is { } code)
        {
            throw new AmazonServiceException("denied", null, ErrorType.Sender, code, "request-1", HttpStatusCode.BadRequest);
        }
        var start = nextToken is null ? 0 : int.Parse(nextToken, System.Globalization.CultureInfo.InvariantCulture);
        var next = start + PageSize < accounts.Length ? (start + PageSize).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return Task.FromResult(new Page<OrganizationAccount>([.. accounts.Skip(start).Take(PageSize)], next));
    }
}

/// <summary>SQS SendMessageBatch that keeps what it accepted; <see cref="FailOnce"/> and <see cref="Reject"/> fail entries as SQS can.</summary>
internal sealed class RecordingQueue : ISqsApi
{
    public List<(string QueueUrl, string Id, string Body)> Sent { get; } = [];

    public List<int> BatchSizes { get; } = [];

    /// <summary>Entry ids SQS fails on its side the first time (SenderFault false), then accepts.</summary>
    public HashSet<string> FailOnce { get; } = new(StringComparer.Ordinal);

    /// <summary>Entry ids SQS refuses as the sender's fault, every time.</summary>
    public HashSet<string> Reject { get; } = new(StringComparer.Ordinal);

    private readonly Lock _lock = new();

    // The planner sends a few batches at once.
    public Task<SqsBatchResult> SendMessageBatchAsync(string queueUrl, IReadOnlyList<(string Id, string Body)> entries, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Send(queueUrl, entries));
        }
    }

    private SqsBatchResult Send(string queueUrl, IReadOnlyList<(string Id, string Body)> entries)
    {
        ApiCallCounting.Record(AwsActions.SendMessageBatch);
        Assert.InRange(entries.Count, 1, SqsLimits.MaxBatchEntries);
        BatchSizes.Add(entries.Count);
        var ok = new List<string>();
        var failed = new List<SqsBatchFailure>();
        foreach (var (id, body) in entries)
        {
            if (Reject.Contains(id))
            {
                failed.Add(new SqsBatchFailure(id, "InvalidParameterValue", null, SenderFault: true));
            }
            else if (FailOnce.Remove(id))
            {
                failed.Add(new SqsBatchFailure(id, "InternalError", null, SenderFault: false));
            }
            else
            {
                Sent.Add((queueUrl, id, body));
                ok.Add(id);
            }
        }
        return new SqsBatchResult(ok, failed);
    }
}
