using System.CommandLine;
using EcsRoleAuditor.Aws.Connection;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary>
/// <c>--live</c> with <c>--region</c>, <c>--profile</c> and <c>--assume-role</c>: how a command reaches AWS, through the
/// SDK's credential chain. Shared by <c>audit --live</c> and <c>event --live</c>.
/// </summary>
internal sealed class AwsOptions
{
    private readonly Option<bool> _live = new("--live") { Description = "Read the task definitions from ECS and the roles from IAM (needs AWS credentials) instead of files." };
    private readonly Option<string?> _region = new("--region") { Description = "The AWS region of the task definitions (default: AWS_REGION, then the profile's region)." };
    private readonly Option<string?> _profile = new("--profile") { Description = "The AWS CLI profile to use." };
    private readonly Option<string?> _assumeRole = new("--assume-role") { Description = "A role ARN to assume first (to audit another account)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _live, _region, _profile, _assumeRole })
        {
            command.Options.Add(option);
        }
    }

    public bool IsLive(ParseResult result) => result.GetValue(_live);

    /// <summary>True when <c>--region</c> was given.</summary>
    public bool HasRegion(ParseResult result) => result.GetValue(_region) is not null;

    /// <summary>True when <c>--region</c>, <c>--profile</c> or <c>--assume-role</c> was given.</summary>
    public bool HasConnectionOptions(ParseResult result) =>
        result.GetValue(_region) is not null || result.GetValue(_profile) is not null || result.GetValue(_assumeRole) is not null;

    /// <summary>Opens the connection; no region or no credentials is a usage error with the SDK's explanation.</summary>
    /// <param name="result">The parsed command line.</param>
    /// <param name="region">A region that replaces <c>--region</c> (SNS is called in its topic's region).</param>
    public AwsConnection Open(ParseResult result, string? region = null)
    {
        try
        {
            return AwsConnection.Open(new AwsConnectionOptions
            {
                Region = region ?? result.GetValue(_region),
                Profile = result.GetValue(_profile),
                RoleArn = result.GetValue(_assumeRole),
            });
        }
        catch (AwsConnectionException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
