using System.CommandLine;
using EcsRoleAuditor.Aws.Connection;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary>
/// <c>--live</c> with <c>--region</c>, <c>--profile</c>, <c>--assume-role</c> and <c>--request-timeout</c>: how a command
/// reaches AWS, through the SDK's credential chain. Shared by <c>audit --live</c>, <c>event --live</c> and <c>findings --live</c>.
/// </summary>
/// <param name="liveDescription">What <c>--live</c> reads, for the help (default: ECS and IAM).</param>
internal sealed class AwsOptions(string liveDescription = "Read the task definitions from ECS and the roles from IAM (needs AWS credentials) instead of files.")
{
    private readonly Option<bool> _live = new("--live") { Description = liveDescription };
    private readonly Option<string[]> _region = new("--region")
    {
        Description = "The AWS region of the task definitions (default: AWS_REGION, then the profile's region); repeatable with audit's --accounts or --organization.",
    };
    private readonly Option<string?> _profile = new("--profile") { Description = "The AWS CLI profile to use." };
    private readonly Option<string?> _assumeRole = new("--assume-role") { Description = "A role ARN to assume first (to audit another account)." };
    private readonly Option<int?> _requestTimeout = new("--request-timeout")
    {
        Description = $"Seconds one AWS request may take, on each of the SDK's attempts (default {RequestTimeouts.Request.TotalSeconds:0}; "
            + $"the wait for the first byte is {RequestTimeouts.TimeToFirstByte.TotalSeconds:0} s or this, whichever is shorter).",
        HelpName = "SECONDS",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _live, _region, _profile, _assumeRole, _requestTimeout })
        {
            command.Options.Add(option);
        }
    }

    public bool IsLive(ParseResult result) => result.GetValue(_live);

    /// <summary>True when <c>--region</c> was given.</summary>
    public bool HasRegion(ParseResult result) => Regions(result).Length > 0;

    /// <summary>Every <c>--region</c> given, in order (several only make sense where a command audits several accounts).</summary>
    public string[] Regions(ParseResult result) => result.GetValue(_region) ?? [];

    /// <summary>True when <c>--assume-role</c> was given.</summary>
    public bool HasAssumeRole(ParseResult result) => result.GetValue(_assumeRole) is not null;

    /// <summary>True when <c>--region</c>, <c>--profile</c>, <c>--assume-role</c> or <c>--request-timeout</c> was given.</summary>
    public bool HasConnectionOptions(ParseResult result) => HasRegion(result) || HasConnectionOptionsBesidesRegion(result);

    /// <summary>True when <c>--profile</c>, <c>--assume-role</c> or <c>--request-timeout</c> was given.</summary>
    public bool HasConnectionOptionsBesidesRegion(ParseResult result) =>
        result.GetValue(_profile) is not null || result.GetValue(_assumeRole) is not null || result.GetValue(_requestTimeout) is not null;

    /// <summary>Opens the connection; a request timeout out of bounds, <c>--region</c> twice, no region or no credentials is a usage error.</summary>
    /// <param name="result">The parsed command line.</param>
    /// <param name="region">A region that replaces <c>--region</c> (SNS is called in its topic's region; the first of several when auditing several accounts).</param>
    public AwsConnection Open(ParseResult result, string? region = null)
    {
        var requestTimeout = RequestTimeout(result);
        if (region is null && Regions(result).Length > 1)
        {
            throw new UsageException("--region is given once, except with audit's --accounts or --organization");
        }
        try
        {
            return AwsConnection.Open(new AwsConnectionOptions
            {
                Region = region ?? Regions(result).FirstOrDefault(),
                Profile = result.GetValue(_profile),
                RoleArn = result.GetValue(_assumeRole),
                RequestTimeout = requestTimeout,
            });
        }
        catch (AwsConnectionException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private TimeSpan? RequestTimeout(ParseResult result)
    {
        if (result.GetValue(_requestTimeout) is not { } seconds)
        {
            return null;
        }
        var maximum = (int)RequestTimeouts.MaximumRequest.TotalSeconds;
        return seconds is > 0 && seconds <= maximum
            ? TimeSpan.FromSeconds(seconds)
            : throw new UsageException($"--request-timeout must be from 1 to {maximum} seconds, not {seconds}");
    }
}
