using System.CommandLine;
using System.Text.RegularExpressions;
using EcsRoleAuditor.Cli.Findings;
using EcsRoleAuditor.EventAudit.Configuration;
using EcsRoleAuditor.State.Dynamo;
using EcsRoleAuditor.State.Memory;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary>
/// Where <c>findings</c> reads the store: <c>--state-file FILE</c> (the local store <c>event --state-file</c> writes) or
/// <c>--live</c> (the function's table: <c>--state-table</c>, default STATE_TABLE, with <c>--region</c>, <c>--profile</c>
/// and the other connection options), and <c>--account</c>. Both end as a <see cref="FindingsSource"/>: the listing
/// and its formats never know which.
/// </summary>
internal sealed partial class FindingsStoreOptions
{
    private const string StateTableVariable = SettingsReader.StateTable;

    private readonly Option<FileInfo?> _stateFile = new("--state-file") { Description = "Read the findings store kept in this local JSON file by 'event --state-file'." };
    private readonly Option<string?> _stateTable = new("--state-table") { Description = $"With --live: the findings table (default: {StateTableVariable})." };
    private readonly Option<string?> _account = new("--account") { Description = "List this account's findings (default: every account in the state file; needed with --live)." };
    private readonly AwsOptions _aws = new("Read the function's findings table in DynamoDB (needs AWS credentials) instead of a state file.");

    public void AddTo(Command command)
    {
        command.Options.Add(_stateFile);
        command.Options.Add(_account);
        command.Options.Add(_stateTable);
        _aws.AddTo(command);
    }

    /// <summary>
    /// The store and the accounts to read; every usage error (no source or two, a missing file, a bad account, no table)
    /// is found before anything is read. <paramref name="needsAccount"/> is false for <c>history</c>, which reads by fingerprint.
    /// </summary>
    public OpenedFindingsSource Open(ParseResult result, bool needsAccount = true)
    {
        var account = result.GetValue(_account);
        if (account is not null && !AccountId().IsMatch(account))
        {
            throw new UsageException($"--account must be a 12-digit AWS account ID, not '{account}'");
        }
        var file = result.GetValue(_stateFile);
        if (_aws.IsLive(result) == (file is not null))
        {
            throw new UsageException("findings needs one store: --state-file FILE, or --live with --state-table NAME (default: STATE_TABLE)");
        }
        if (file is not null)
        {
            if (_aws.HasConnectionOptions(result) || result.GetValue(_stateTable) is not null)
            {
                throw new UsageException("--state-table, --region, --profile, --assume-role and --request-timeout go with --live");
            }
            return new OpenedFindingsSource(FromStateFile(file, account), Connection: null);
        }
        var table = (result.GetValue(_stateTable) ?? Environment.GetEnvironmentVariable(StateTableVariable))?.Trim();
        if (string.IsNullOrEmpty(table))
        {
            throw new UsageException($"findings --live needs the table: --state-table NAME or {StateTableVariable}");
        }
        if (!SettingsReader.IsTableName(table))
        {
            throw new UsageException($"--state-table (or {StateTableVariable}) is not a DynamoDB table name (3 to 255 letters, digits, '_', '-' or '.')");
        }
        // The CLI has no way to learn the caller's account (no STS GetCallerIdentity): the account is said.
        if (needsAccount && account is null)
        {
            throw new UsageException("findings --live needs --account ID: the account whose findings to list");
        }
        return OpenLive(_aws, result, table, account);
    }

    private static OpenedFindingsSource OpenLive(AwsOptions aws, ParseResult result, string table, string? account)
    {
        var connection = aws.Open(result);
        var store = new DynamoFindingStore(connection.DynamoDb, table, TimeProvider.System);
        return new OpenedFindingsSource(new FindingsSource(store, account is null ? [] : [account], $"table {table}"), connection);
    }

    private static FindingsSource FromStateFile(FileInfo file, string? account)
    {
        var path = file.FullName;
        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: no such findings state file ('event ... --state-file FILE' writes one)");
        }
        var store = InputFiles.Checked(() => FindingStateFile.Load(path, TimeProvider.System));
        IReadOnlyList<string> accounts = account is not null
            ? [account]
            : [.. store.Findings.Select(f => f.Family.Account).Concat(store.Days.Select(d => d.Account)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        return new FindingsSource(store, accounts, $"state file {path}");
    }

    [GeneratedRegex(@"^[0-9]{12}\z")]
    private static partial Regex AccountId();
}

/// <summary>A findings source and the AWS connection it reads through, if any (disposed with it).</summary>
internal sealed record OpenedFindingsSource(FindingsSource Source, IDisposable? Connection) : IDisposable
{
    public void Dispose() => Connection?.Dispose();
}
