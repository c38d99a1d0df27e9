using System.CommandLine;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.EventAudit.Configuration;
using EcsRoleAuditor.Pipeline;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary>
/// <c>audit --live</c>: task definitions from ECS and roles from IAM, with the SDK's credential chain, instead of files.
/// <c>--region</c>, <c>--profile</c>, <c>--assume-role</c> (audit another account) or <c>--accounts</c>/<c>--organization</c>
/// (audit several, <see cref="AccountsOptions"/>), <c>--task-definition</c> (repeatable) or <c>--all</c> (every ACTIVE
/// family's latest revision). <c>fix --live</c> reads its task definitions with the same options, one account only.
/// </summary>
/// <param name="commandName">The command, for the usage errors.</param>
/// <param name="severalAccounts">Whether <c>--accounts</c> and <c>--organization</c> are offered.</param>
/// <param name="taskDefinitionDescription">The help of <c>--task-definition</c> (fix also picks from its files with it).</param>
/// <param name="liveDescription">The help of <c>--live</c> when it reads less than ECS and IAM.</param>
internal sealed class LiveAuditOptions(
    string commandName = "audit",
    bool severalAccounts = true,
    string taskDefinitionDescription = "A task definition to audit: family (latest ACTIVE revision), family:revision or ARN; repeatable.",
    string? liveDescription = null)
{
    private readonly AwsOptions _aws = liveDescription is null ? new() : new(liveDescription);
    private readonly AccountsOptions _accounts = new();
    private readonly Option<string[]> _taskDefinitions = new("--task-definition")
    {
        Description = taskDefinitionDescription,
        AllowMultipleArgumentsPerToken = true,
    };
    private readonly Option<bool> _all = new("--all") { Description = $"{(commandName == "audit" ? "Audit" : "Read")} the latest ACTIVE revision of every task definition family in the region." };

    public void AddTo(Command command)
    {
        _aws.AddTo(command);
        if (severalAccounts)
        {
            _accounts.AddTo(command);
        }
        command.Options.Add(_taskDefinitions);
        command.Options.Add(_all);
    }

    public bool IsLive(ParseResult result) => _aws.IsLive(result);

    /// <summary>True when a live-only option was given without <c>--live</c> (a usage error the caller reports).</summary>
    public bool HasLiveOnlyOptions(ParseResult result) =>
        HasConnectionOrAll(result) || (severalAccounts && _accounts.AnyGiven(result)) || TaskDefinitionReferences(result).Length > 0;

    /// <summary>As <see cref="HasLiveOnlyOptions"/>, with <c>--region</c> allowed (infrastructure code deploys to a region).</summary>
    public bool HasLiveOnlyOptionsBesidesRegion(ParseResult result) =>
        _aws.HasConnectionOptionsBesidesRegion(result) || result.GetValue(_all) || (severalAccounts && _accounts.AnyGiven(result)) || TaskDefinitionReferences(result).Length > 0;

    /// <summary>True when <c>--profile</c>, <c>--assume-role</c> or <c>--request-timeout</c> was given.</summary>
    public bool HasConnectionOptionsBesidesRegion(ParseResult result) => _aws.HasConnectionOptionsBesidesRegion(result);

    /// <summary>Every <c>--region</c> given, unchecked.</summary>
    public string[] RegionValues(ParseResult result) => _aws.Regions(result);

    /// <summary>True when a connection option or <c>--all</c> was given: live-only even where <c>--task-definition</c> also picks from files.</summary>
    public bool HasConnectionOrAll(ParseResult result) => _aws.HasConnectionOptions(result) || result.GetValue(_all);

    /// <summary>Every <c>--task-definition</c> given, in order.</summary>
    public string[] TaskDefinitionReferences(ParseResult result) => result.GetValue(_taskDefinitions) ?? [];

    /// <summary>What to audit: the named task definitions or every ACTIVE family's latest revision (a usage error unless exactly one is given).</summary>
    public AuditTargets Targets(ParseResult result)
    {
        var references = TaskDefinitionReferences(result);
        var all = result.GetValue(_all);
        if ((references.Length > 0) == all)
        {
            throw new UsageException($"{commandName} --live needs --task-definition FAMILY[:REVISION]|ARN (repeatable) or --all, not both");
        }
        return all ? new AuditTargets.AllActive(AllRevisions: false) : new AuditTargets.Named([.. references.Select(r => new TaskDefinitionTarget(r))]);
    }

    /// <summary>
    /// The accounts to audit with <c>--accounts</c> or <c>--organization</c>, or null for the single account. With them,
    /// <c>--assume-role</c> (the role comes from <c>--role-name</c>) and a task definition ARN (it names one account and
    /// region, while the others are audited in each) are usage errors.
    /// </summary>
    public AccountSelection? Accounts(ParseResult result)
    {
        if (!severalAccounts || _accounts.Selection(result) is not { } selection)
        {
            return null;
        }
        if (_aws.HasAssumeRole(result))
        {
            throw new UsageException("--assume-role audits one other account: with --accounts or --organization, name the role to assume in each with --role-name");
        }
        if ((result.GetValue(_taskDefinitions) ?? []).Any(r => TaskDefinitionReference.Parse(r).Arn is not null))
        {
            throw new UsageException("with --accounts or --organization, --task-definition takes FAMILY or FAMILY:REVISION (audited in every account and region), not an ARN");
        }
        return selection;
    }

    /// <summary>
    /// The regions each account is audited in: every <c>--region</c> (none: the connection's region). A region that is
    /// not a region name, or one given twice, is a usage error naming its position (the value may be anything).
    /// </summary>
    public IReadOnlyList<string> Regions(ParseResult result)
    {
        var regions = _aws.Regions(result);
        for (var i = 0; i < regions.Length; i++)
        {
            if (!AwsNames.IsRegion(regions[i]))
            {
                throw new UsageException($"--region: item {i + 1} is not a region name such as eu-west-1");
            }
            if (Array.IndexOf(regions, regions[i]) < i)
            {
                throw new UsageException($"--region: item {i + 1} repeats {regions[i]}");
            }
            // The roles are assumed with the caller's credentials, which are the first region's partition's: another
            // partition's endpoints would refuse them and every account would look incomplete there.
            if (AwsConnection.PartitionOf(regions[i]) is var partition && partition != AwsConnection.PartitionOf(regions[0]))
            {
                throw new UsageException($"--region: item {i + 1} is in partition {partition}, item 1 in {AwsConnection.PartitionOf(regions[0])}: audit each partition in its own run");
            }
        }
        return regions;
    }

    /// <summary>The connection of the caller, in the first <c>--region</c>: it assumes the reader role in each account and lists the organization's.</summary>
    public AwsConnection OpenCaller(ParseResult result) => _aws.Open(result, _aws.Regions(result).FirstOrDefault());

    /// <summary>Connects with the SDK's credential chain; the sources read the caller's account (or the assumed role's).</summary>
    public LiveSources Open(ParseResult result)
    {
        var connection = _aws.Open(result);
        return new LiveSources(connection, new AuditSources(connection.Ecs, connection.Iam, new IamRoleDirectoryOptions()));
    }
}

/// <summary>The live connection and the audit sources over it.</summary>
internal sealed record LiveSources(AwsConnection Connection, AuditSources Sources) : IDisposable
{
    public void Dispose() => Connection.Dispose();
}
