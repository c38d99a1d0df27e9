using System.CommandLine;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Resolution;

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

    /// <summary>Reads the task definitions from ECS; those that cannot be read are returned as reasons, not thrown.</summary>
    public async Task<LiveInputs> ReadAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var references = result.GetValue(_taskDefinitions) ?? [];
        var all = result.GetValue(_all);
        if ((references.Length > 0) == all)
        {
            throw new UsageException("audit --live needs --task-definition FAMILY[:REVISION]|ARN (repeatable) or --all, not both");
        }
        var connection = _aws.Open(result);
        var counter = new ApiCallCounter();
        var iam = new CountingIamApi(connection.Iam, counter);
        var source = new TaskDefinitionSource(new CountingEcsApi(connection.Ecs, counter));
        var unreadable = new List<string>();
        if (all)
        {
            var listing = await source.ListLatestActiveAsync(cancellationToken).ConfigureAwait(false);
            if (listing.Failure is { } failure)
            {
                unreadable.Add($"the list of task definitions: {failure.Describe()}");
            }
            references = [.. listing.Arns];
        }
        var definitions = new List<TaskDefinition>();
        foreach (var reference in references)
        {
            switch (await source.DescribeAsync(reference, cancellationToken).ConfigureAwait(false))
            {
                case TaskDefinitionLookup.Found found:
                    definitions.Add(found.Definition);
                    break;
                case TaskDefinitionLookup.Failed failed:
                    unreadable.Add($"{failed.Reference}: {failed.Failure.Describe()}");
                    break;
            }
        }
        var plan = RoleReadPlan.For(definitions);
        return new LiveInputs(connection, definitions, plan.CreateDirectory(iam), plan, counter, unreadable);
    }
}

/// <summary>What a live audit read: the task definitions, the role directory chosen for them, the call count, and what could not be read.</summary>
internal sealed record LiveInputs(
    AwsConnection Connection,
    IReadOnlyList<TaskDefinition> Definitions,
    IRoleDirectory Roles,
    RoleReadPlan Plan,
    ApiCallCounter Calls,
    IReadOnlyList<string> Unreadable) : IDisposable
{
    public void Dispose()
    {
        (Roles as IDisposable)?.Dispose();
        Connection.Dispose();
    }
}
