using System.CommandLine;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Pipeline;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary>
/// <c>audit --live</c>: task definitions from ECS and roles from IAM, with the SDK's credential chain, instead of files.
/// <c>--region</c>, <c>--profile</c>, <c>--assume-role</c> (audit another account), <c>--task-definition</c> (repeatable)
/// or <c>--all</c> (every ACTIVE family's latest revision).
/// </summary>
internal sealed class LiveAuditOptions
{
    private readonly AwsOptions _aws = new();
    private readonly Option<string[]> _taskDefinitions = new("--task-definition")
    {
        Description = "A task definition to audit: family (latest ACTIVE revision), family:revision or ARN; repeatable.",
        AllowMultipleArgumentsPerToken = true,
    };
    private readonly Option<bool> _all = new("--all") { Description = "Audit the latest ACTIVE revision of every task definition family in the region." };

    public void AddTo(Command command)
    {
        _aws.AddTo(command);
        command.Options.Add(_taskDefinitions);
        command.Options.Add(_all);
    }

    public bool IsLive(ParseResult result) => _aws.IsLive(result);

    /// <summary>True when a live-only option was given without <c>--live</c> (a usage error the caller reports).</summary>
    public bool HasLiveOnlyOptions(ParseResult result) =>
        _aws.HasConnectionOptions(result) || result.GetValue(_taskDefinitions) is { Length: > 0 } || result.GetValue(_all);

    /// <summary>What to audit: the named task definitions or every ACTIVE family's latest revision (a usage error unless exactly one is given).</summary>
    public AuditTargets Targets(ParseResult result)
    {
        var references = result.GetValue(_taskDefinitions) ?? [];
        var all = result.GetValue(_all);
        if ((references.Length > 0) == all)
        {
            throw new UsageException("audit --live needs --task-definition FAMILY[:REVISION]|ARN (repeatable) or --all, not both");
        }
        return all ? new AuditTargets.AllActive(AllRevisions: false) : new AuditTargets.Named([.. references.Select(r => new TaskDefinitionTarget(r))]);
    }

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
