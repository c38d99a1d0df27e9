using System.Collections.Immutable;
using System.CommandLine;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Aws.Offline;
using EcsRoleAuditor.EventAudit.Configuration;
using EcsRoleAuditor.InfrastructureCode.CloudFormation;
using EcsRoleAuditor.InfrastructureCode.Declared;
using EcsRoleAuditor.InfrastructureCode.Terraform;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary>
/// <c>--cloudformation FILE...</c> with <c>--parameter</c>, <c>--stack-name</c>, and <c>--terraform-plan FILE...</c>, both
/// with <c>--account</c> (and <c>--region</c>, shared with <c>--live</c>): infrastructure code as the offline audit's input, read into one
/// <see cref="DeclaredAccount"/> over the <c>--iam</c> export when one is given.
/// </summary>
internal sealed class InfrastructureCodeOptions
{
    private readonly Option<FileInfo[]> _cloudFormation = new("--cloudformation")
    {
        Description = "CloudFormation or SAM templates (YAML or JSON; a CDK app's cdk.out/*.template.json): their task definitions and roles are audited as they would deploy.",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<FileInfo[]> _terraformPlans = new("--terraform-plan")
    {
        Description = "Terraform plans as 'terraform show -json plan.out' prints them: their task definitions, roles and policies are audited as the plan would apply them.",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<string[]> _parameters = new("--parameter")
    {
        Description = "A template parameter's value, Key=Value (repeatable); parameters not given take their Default.",
    };

    private readonly Option<string?> _account = new("--account")
    {
        Description = $"The account the stack deploys to (AWS::AccountId; default: the stand-in {StandIns.Account}, named in the report).",
    };

    private readonly Option<string?> _stackName = new("--stack-name") { Description = "The stack's name (AWS::StackName)." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_cloudFormation);
        command.Options.Add(_terraformPlans);
        command.Options.Add(_parameters);
        command.Options.Add(_account);
        command.Options.Add(_stackName);
    }

    /// <summary>True when infrastructure code was given.</summary>
    public bool IsGiven(ParseResult result) => (result.GetValue(_cloudFormation) ?? []).Length > 0 || (result.GetValue(_terraformPlans) ?? []).Length > 0;

    /// <summary>True when an option that only goes with infrastructure code was given.</summary>
    public bool HasSettings(ParseResult result) =>
        (result.GetValue(_parameters) ?? []).Length > 0 || result.GetValue(_account) is not null || result.GetValue(_stackName) is not null;

    /// <summary>True when an option that only goes with CloudFormation templates was given without one.</summary>
    private bool HasTemplateSettingsWithoutTemplates(ParseResult result) =>
        (result.GetValue(_cloudFormation) ?? []).Length == 0 && ((result.GetValue(_parameters) ?? []).Length > 0 || result.GetValue(_stackName) is not null);

    /// <summary>Reads every template into one account (over <paramref name="export"/>); notes for standard error.</summary>
    /// <param name="result">The parsed command line.</param>
    /// <param name="regions">The <c>--region</c> values (at most one here).</param>
    /// <param name="export">The <c>--iam</c> export, or null.</param>
    /// <param name="notes">Where the stand-ins and what the templates leave unresolved are said.</param>
    public DeclaredAccount Read(ParseResult result, string[] regions, RecordedIam? export, List<string> notes)
    {
        if (regions.Length > 1)
        {
            throw new UsageException("--region: one region with infrastructure code (the region it deploys to)");
        }
        var account = result.GetValue(_account);
        if (account is not null && !AwsNames.IsAccountId(account))
        {
            throw new UsageException("--account must be a 12-digit account ID");
        }
        var region = regions.FirstOrDefault() ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION");
        if (region is not null && !AwsNames.IsRegion(region))
        {
            throw new UsageException("--region (or AWS_REGION) is not a region name such as eu-west-1");
        }
        var templates = (result.GetValue(_cloudFormation) ?? []).Length > 0;
        if (account is null && templates)
        {
            notes.Add($"no --account: the templates' own ARNs are written in the stand-in account {StandIns.Account}; conditions on the account are left undecided and ARNs the templates write with account IDs look like another account's; give --account");
        }
        if (region is null && templates)
        {
            notes.Add($"no --region: the templates' own ARNs are written in {StandIns.Region}");
        }
        if (HasTemplateSettingsWithoutTemplates(result))
        {
            throw new UsageException("--parameter and --stack-name go with --cloudformation");
        }
        var options = new CloudFormationOptions(account ?? StandIns.Account, region ?? StandIns.Region, result.GetValue(_stackName), Parameters(result))
        {
            ReadNested = CloudFormationReader.ReadNestedFile,
        };
        var declared = (result.GetValue(_cloudFormation) ?? [])
            .Select(file => InputFiles.Checked(() => CloudFormationReader.Read(InputFiles.ReadText(file, "the CloudFormation template"), file.ToString(), options)))
            .ToList();
        // A plan names its own account and region (aws_caller_identity, its ARNs): only what was given overrides them.
        var planOptions = new TerraformPlanOptions(account, regions.FirstOrDefault());
        foreach (var plan in result.GetValue(_terraformPlans) ?? [])
        {
            using var json = InputFiles.OpenJson(plan, "the Terraform plan");
            declared.Add(InputFiles.Checked(() => TerraformPlanReader.Read(json.RootElement, plan.ToString(), planOptions)));
        }
        var built = InputFiles.Checked(() => DeclaredAccount.Build(declared, export, EmbeddedAwsManagedPolicies.Instance));
        notes.AddRange(built.Notes);
        return built;
    }

    /// <summary>The options as given, each quoted for a POSIX shell: what <c>fix</c> takes to read the same code.</summary>
    public string Arguments(ParseResult result, string[] regions)
    {
        var words = new List<string>();
        foreach (var (option, files) in new[] { ("--cloudformation", _cloudFormation), ("--terraform-plan", _terraformPlans) })
        {
            foreach (var file in result.GetValue(files) ?? [])
            {
                words.Add(option);
                words.Add(CommandLines.Quote(file.ToString()));
            }
        }
        foreach (var parameter in result.GetValue(_parameters) ?? [])
        {
            words.Add("--parameter");
            words.Add(CommandLines.Quote(parameter));
        }
        AddIfGiven(words, "--account", result.GetValue(_account));
        AddIfGiven(words, "--region", regions.FirstOrDefault());
        AddIfGiven(words, "--stack-name", result.GetValue(_stackName));
        return string.Join(' ', words);
    }

    private static void AddIfGiven(List<string> words, string option, string? value)
    {
        if (value is not null)
        {
            words.Add(option);
            words.Add(CommandLines.Quote(value));
        }
    }

    private ImmutableDictionary<string, string> Parameters(ParseResult result)
    {
        var parameters = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (text, i) in (result.GetValue(_parameters) ?? []).Select((t, i) => (t, i)))
        {
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"--parameter: item {i + 1} is not Key=Value");
            }
            if (!parameters.TryAdd(text[..equals], text[(equals + 1)..]))
            {
                throw new UsageException($"--parameter: item {i + 1} repeats a key given before");
            }
        }
        return parameters.ToImmutable();
    }
}
