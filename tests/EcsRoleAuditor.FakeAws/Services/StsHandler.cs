using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using EcsRoleAuditor.FakeAws.Wire;
using static EcsRoleAuditor.FakeAws.Wire.QueryXml;

namespace EcsRoleAuditor.FakeAws.Services;

/// <summary>
/// STS (query protocol, 2011-06-15): AssumeRole (credentials issued are remembered) and GetCallerIdentity. A role of a
/// served account must exist and trust the caller (<see cref="TrustPolicy"/>); roles of other accounts are taken on trust.
/// </summary>
internal sealed partial class StsHandler : QueryServiceHandler
{
    private static readonly ServiceErrors StsErrors = new("sts", "Throttling", "InternalFailure", "AccessDenied", 403, "ValidationError");

    private readonly AccountIndex _accounts;
    private readonly ConcurrentQueue<AssumedRole> _assumed;
    private readonly Func<TimeSpan?> _sessionLifetime;

    public StsHandler(AccountIndex account, ConcurrentQueue<AssumedRole> assumed, Func<TimeSpan?> sessionLifetime)
        : base("https://sts.amazonaws.com/doc/2011-06-15/")
    {
        _accounts = account;
        _assumed = assumed;
        _sessionLifetime = sessionLifetime;
        Add("AssumeRole", AssumeRole, r => FaultTarget.Of(r.Optional("RoleArn"), r.Optional("RoleArn") ?? "*"));
        Add("GetCallerIdentity", GetCallerIdentity);
    }

    public override string SigningName => "sts";

    public override ServiceErrors Errors => StsErrors;

    private IEnumerable<XElement> AssumeRole(AwsRequest request)
    {
        var roleArn = request.Required("RoleArn");
        var session = request.Required("RoleSessionName");
        if (!SessionNamePattern().IsMatch(session))
        {
            throw Errors.Validation($"1 validation error detected: Value '{session}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
        }
        var duration = request.Integer("DurationSeconds", 900, 43200) ?? 3600;
        if (roleArn.Split(':', 6) is not ["arn", _, "iam", "", var accountId, var resource] || !resource.StartsWith("role/", StringComparison.Ordinal))
        {
            throw Errors.Validation($"{roleArn} is invalid");
        }
        var roleName = resource[(resource.LastIndexOf('/') + 1)..];
        // A role of a served account must exist and trust the caller; AWS answers AccessDenied for both, never NoSuchEntity.
        var caller = _accounts.CallerOf(request.Scope);
        FakeRole? role = null;
        if (_accounts.Served(accountId) is { } account
            && (!account.RolesByName.TryGetValue(roleName, out role) || role.Arn != roleArn || !TrustPolicy.Allows(role.TrustPolicy, caller, _accounts.Organization)))
        {
            throw Errors.AccessDenied(caller.Arn, "AssumeRole", roleArn);
        }
        var accessKeyId = FakeIds.Random("ASIA", 16);
        var expiration = DateTimeOffset.UtcNow + (_sessionLifetime() ?? TimeSpan.FromSeconds(duration));
        var assumed = new Caller($"arn:aws:sts::{accountId}:assumed-role/{roleName}/{session}", $"{role?.RoleId ?? FakeIds.Make("AROA", roleArn)}:{session}", roleArn);
        _accounts.Issued(accessKeyId, assumed);
        _assumed.Enqueue(new AssumedRole(roleArn, session, request.Optional("ExternalId"), accessKeyId, expiration));
        return
        [
            new XElement("Credentials",
                new XElement("AccessKeyId", accessKeyId),
                new XElement("SecretAccessKey", FakeIds.Random("", 40)),
                new XElement("SessionToken", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(96))),
                new XElement("Expiration", Time(expiration))),
            new XElement("AssumedRoleUser",
                new XElement("AssumedRoleId", assumed.UserId),
                new XElement("Arn", assumed.Arn)),
        ];
    }

    private IEnumerable<XElement> GetCallerIdentity(AwsRequest request)
    {
        var caller = _accounts.CallerOf(request.Scope);
        return [new XElement("UserId", caller.UserId), new XElement("Account", caller.AccountId), new XElement("Arn", caller.Arn)];
    }

    [GeneratedRegex(@"^[\w+=,.@-]{2,64}$")]
    private static partial Regex SessionNamePattern();
}
