using System.Collections.Immutable;
using System.CommandLine;
using System.Text.Json;
using EcsRoleAuditor.Audit;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Audit.Reporting.SecurityHub;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Audit.Suppressions;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Offline;
using EcsRoleAuditor.Cli.Accounts;
using EcsRoleAuditor.Pipeline;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary>
/// <c>audit --iam FILE --task-definitions FILE...</c>: the offline audit of AWS CLI output (no credentials, no network);
/// <c>demo</c>: the same audit of an embedded sample account.
/// </summary>
internal static class AuditCommand
{
    private const string DemoResourcePrefix = "EcsRoleAuditor.Cli.Demo.";

    // Where the embedded demo task definitions live in the repository: the source file SARIF locates them in, and the
    // file the demo's fix command reads (from a checkout, fix --task-definitions takes it as it is).
    private const string DemoTaskDefinitionsPath = "src/EcsRoleAuditor.Cli/Demo/task-definitions.json";

    public static Command CreateAudit(TextWriter stdout, TextWriter stderr)
    {
        var iam = new Option<FileInfo>("--iam")
        {
            Description = "Output of 'aws iam get-account-authorization-details --output json' (the roles and their policies).",
        };
        var taskDefinitions = new Option<FileInfo[]>("--task-definitions")
        {
            Description = "Outputs of 'aws ecs describe-task-definition --task-definition X --include TAGS --output json', one or more files (a file may hold a JSON array of them).",
            AllowMultipleArgumentsPerToken = true,
        };
        var suppressions = new Option<FileInfo?>("--suppressions")
        {
            Description = "Configured suppressions (JSON): [{\"rule\":\"ERA012\",\"role\":\"arn:aws:iam::*:role/legacy-*\",\"family\":\"legacy-*\",\"reason\":\"...\"}].",
        };
        var options = new ReportSettingsOptions();
        var live = new LiveAuditOptions();
        var code = new InfrastructureCodeOptions();
        var command = new Command("audit",
            "Audit ECS task definitions and their task and execution roles: offline from AWS CLI output files or infrastructure code (--cloudformation), or --live from ECS and IAM.")
        {
            iam, taskDefinitions, suppressions,
        };
        options.AddTo(command);
        live.AddTo(command);
        code.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = options.From(result, stdout);
            var configured = result.GetValue(suppressions) is { } file
                ? InputFiles.ReadSuppressions(file).Suppressions
                : [];
            var iamFile = result.GetValue(iam);
            var definitionFiles = result.GetValue(taskDefinitions) ?? [];
            if (code.IsGiven(result))
            {
                if (live.IsLive(result) || live.HasLiveOnlyOptionsBesidesRegion(result))
                {
                    throw new UsageException("infrastructure code (--cloudformation, --terraform-plan) is read offline: of the live options only --region (where it deploys) goes with it");
                }
                return await AuditCodeAsync(code, result, live.RegionValues(result), iamFile, definitionFiles, configured, settings, stdout, stderr, cancellationToken).ConfigureAwait(false);
            }
            if (code.HasSettings(result))
            {
                throw new UsageException("--parameter, --account and --stack-name go with --cloudformation or --terraform-plan");
            }
            if (live.IsLive(result))
            {
                if (iamFile is not null || definitionFiles.Length > 0)
                {
                    throw new UsageException("audit --live reads ECS and IAM: leave out --iam and --task-definitions");
                }
                var targets = live.Targets(result);
                if (live.Accounts(result) is { } selection)
                {
                    return await AuditAccountsAsync(live, result, selection, targets, configured, settings, stdout, stderr, cancellationToken).ConfigureAwait(false);
                }
                using var connection = live.Open(result);
                var outcome = await Audit(connection.Sources, targets, configured, cancellationToken).ConfigureAwait(false);
                var exit = Report(outcome, [], settings, stdout, stderr);
                stderr.WriteLine($"ecs-role-auditor: roles read {outcome.RolePlan?.ToString() ?? "not at all"}; {outcome.Calls}");
                return exit;
            }
            if (live.HasLiveOnlyOptions(result))
            {
                throw new UsageException("--region, --profile, --assume-role, --accounts, --organization, --role-name, --concurrency, --request-timeout, --task-definition and --all go with --live");
            }
            if (iamFile is null || definitionFiles.Length == 0)
            {
                throw new UsageException("audit needs --iam FILE and --task-definitions FILE... (offline), or --live");
            }
            // An AWS managed policy the export lacks is read from the embedded corpus, its version marked as such.
            var recorded = ReadFile(iamFile, "the IAM file", (root, source) => RecordedIam.Read(root, source, EmbeddedAwsManagedPolicies.Instance));
            var inputs = definitionFiles
                .SelectMany(file => ReadFile(file, "the task definition file", TaskDefinitionReader.Read).Select(d => new Input(d, file.ToString())))
                .ToList();
            return Report(await AuditRecorded(recorded, inputs, configured, cancellationToken).ConfigureAwait(false), inputs, settings, stdout, stderr);
        });
        return command;
    }

    public static Command CreateDemo(TextWriter stdout, TextWriter stderr)
    {
        var options = new ReportSettingsOptions();
        var command = new Command("demo",
            "Audit an embedded sample account: orders-api wired the way AWS recommends, billing-worker with the two roles' jobs swapped, legacy-reports using one over-powered role for both.");
        options.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = options.From(result, stdout);
            var recorded = ReadDemo("account.json", RecordedIam.Read);
            var inputs = ReadDemo("task-definitions.json", TaskDefinitionReader.Read).Select(d => new Input(d, DemoTaskDefinitionsPath)).ToList();
            Report(await AuditRecorded(recorded, inputs, [], cancellationToken).ConfigureAwait(false), inputs, settings, stdout, stderr);
            return CommandLineApp.ExitSuccess; // the demo's findings are the point, not a failure
        });
        return command;
    }

    private sealed record Input(TaskDefinition Definition, string File);

    // Templates become an account (over the --iam export when given) and are audited as the offline audit audits files;
    // findings point at the lines that declare them.
    private static async Task<int> AuditCodeAsync(InfrastructureCodeOptions code, ParseResult result, string[] regions, FileInfo? iamFile, FileInfo[] definitionFiles,
        IReadOnlyList<Suppression> suppressions, ReportSettings settings, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (settings.Format == ReportFormat.Asff)
        {
            // Security Hub holds findings about deployed resources; these are undeployed, often in stand-in accounts.
            throw new UsageException("--format asff imports findings about deployed task definitions into Security Hub; infrastructure code is not deployed (use --format sarif for code scanning)");
        }
        var export = iamFile is null ? null : ReadFile(iamFile, "the IAM file", (root, source) => RecordedIam.Read(root, source, EmbeddedAwsManagedPolicies.Instance));
        var notes = new List<string>();
        var account = code.Read(result, regions, export, notes);
        var inputs = definitionFiles
            .SelectMany(file => ReadFile(file, "the task definition file", TaskDefinitionReader.Read).Select(d => new Input(d, file.ToString())))
            .ToList();
        var all = account.TaskDefinitions.Select(d => new TaskDefinitionTarget(d.DisplayName, d))
            .Concat(inputs.Select(i => new TaskDefinitionTarget(i.Definition.Arn ?? i.Definition.DisplayName, i.Definition)))
            .ToList();
        var outcome = await Audit(AuditSources.Recorded(new RecordedEcs(), account.Iam), new AuditTargets.Named([.. all]), suppressions, cancellationToken).ConfigureAwait(false);
        foreach (var note in notes)
        {
            stderr.WriteLine(TerminalText.Escape($"ecs-role-auditor: {note}"));
        }
        if (all.Count == 0)
        {
            stderr.WriteLine("ecs-role-auditor: the templates declare no AWS::ECS::TaskDefinition; nothing was audited");
        }
        return Report(outcome.AllReports, inputs, settings, stdout, stderr, locations: account.Locations,
            codeArguments: inputs.Count == 0 ? code.Arguments(result, regions) : null);
    }

    // Every account × region through its reader role, each audited as the single-account live audit is; one combined
    // report, and on standard error what was audited and which accounts are incomplete.
    private static async Task<int> AuditAccountsAsync(LiveAuditOptions live, ParseResult result, AccountSelection selection, AuditTargets targets,
        IReadOnlyList<Suppression> suppressions, ReportSettings settings, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var given = live.Regions(result);
        using var connection = live.OpenCaller(result);
        IReadOnlyList<string> regions = given.Count > 0 ? given : [connection.Region];
        // The caller's own account is assumed like the others (no own account id): one way in, the role's permissions.
        using var members = connection.OpenMemberAccounts(selection.RoleName, ownAccountId: null);
        var outcome = await AccountsAudit.RunAsync(() => connection.Organizations, members, selection.Accounts, regions,
            selection.Concurrency, (sources, ct) => Audit(sources, targets, suppressions, ct), AccountsProgress.ForStandardError(stderr), cancellationToken).ConfigureAwait(false);
        var exit = Report(outcome.AllReports, [], settings, stdout, stderr, selection.RoleName);
        if (outcome.NotAccountIds > 0)
        {
            stderr.WriteLine($"ecs-role-auditor: ListAccounts returned {FindingFactory.Count(outcome.NotAccountIds, "id")} that are not 12 digits; they were left out");
        }
        // AssumeRole goes through the credential provider, not our clients, so it is not among the calls (docs/aws-access.md).
        stderr.WriteLine($"ecs-role-auditor: {FindingFactory.Count(outcome.AccountCount, "account")} in {FindingFactory.Count(regions.Count, "region")} audited; {outcome.Calls}");
        if (outcome.Unlisted is { } unlisted)
        {
            stderr.WriteLine($"ecs-role-auditor: the organization's accounts could not be listed: {unlisted.Reason} (ListAccounts answers only the management account and delegated administrators)");
        }
        if (outcome.IncompleteAccounts is { Count: > 0 } incomplete)
        {
            const int Named = 10;
            var names = string.Join(", ", incomplete.Take(Named)) + (incomplete.Count > Named ? $" and {incomplete.Count - Named} more" : "");
            stderr.WriteLine($"ecs-role-auditor: {FindingFactory.Count(incomplete.Count, "account")} incomplete: {names} (see the ERA005 findings)");
        }
        return exit;
    }

    private static Task<AuditOutcome> Audit(AuditSources sources, AuditTargets targets, IReadOnlyList<Suppression> suppressions, CancellationToken cancellationToken) =>
        new AuditPipeline(sources, Auditor.WithAllRules(suppressions)).RunAsync(targets, sink: null, cancellationToken);

    // The offline audit is the live one over recorded answers: the task definitions are given, the roles read from the file.
    private static Task<AuditOutcome> AuditRecorded(RecordedIam iam, List<Input> inputs, IReadOnlyList<Suppression> suppressions, CancellationToken cancellationToken) =>
        Audit(AuditSources.Recorded(new RecordedEcs(), iam), new AuditTargets.Named([.. inputs.Select(i => new TaskDefinitionTarget(i.Definition.Arn ?? i.Definition.DisplayName, i.Definition))]),
            suppressions, cancellationToken);

    private static int Report(AuditOutcome outcome, List<Input> inputs, ReportSettings settings, TextWriter stdout, TextWriter stderr) =>
        Report(outcome.AllReports, inputs, settings, stdout, stderr);

    // readerRoleName: the role assumed in each account of a run of several, which the fix command a report names assumes too;
    // locations: where infrastructure code declares what the findings are about; codeArguments: the arguments that read it,
    // for the fix command (null when task definition files are audited with it: then each names its own).
    private static int Report(IReadOnlyList<TaskDefinitionReport> reports, List<Input> inputs, ReportSettings settings, TextWriter stdout, TextWriter stderr,
        string? readerRoleName = null, SourceLocations? locations = null, string? codeArguments = null)
    {
        var shown = new AuditReport([.. reports.Select(r => r with { Findings = [.. r.Findings.Where(f => f.Severity >= settings.MinSeverity)] })]);
        var sourceFiles = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            sourceFiles[input.Definition.Arn ?? input.Definition.DisplayName] = input.File;
        }
        var options = new ReportOptions
        {
            OutputIsTerminal = settings.OutputIsTerminal, SourceFiles = sourceFiles.ToImmutable(), ReaderRoleName = readerRoleName, Locations = locations ?? SourceLocations.None,
            InfrastructureCodeArguments = codeArguments,
            ObservedAt = TimeProvider.System.GetUtcNow(),
            SecurityHubLimits = Aws.Api.SecurityHubLimits.Import,
        };
        try
        {
            ReportWriters.Write(shown, [.. RuleCatalog.All.Select(r => r.Descriptor)], settings.Format, stdout, options);
        }
        catch (AsffMappingException e)
        {
            throw new UsageException($"--format asff: {e.Message}");
        }
        return ExitCodes.For(reports, settings.FailOn ?? settings.MinSeverity, stderr);
    }

    /// <summary>Reads a JSON input file; unreadable or invalid content is a usage error naming the file.</summary>
    internal static T ReadFile<T>(FileInfo file, string what, Func<JsonElement, string, T> read)
    {
        using var document = InputFiles.OpenJson(file, what);
        return Parse(() => read(document.RootElement, file.ToString()));
    }

    /// <summary>Reads one file of the embedded demo account (account.json, task-definitions.json).</summary>
    internal static T ReadDemo<T>(string name, Func<JsonElement, string, T> read)
    {
        using var document = InputFiles.OpenResource(DemoResourcePrefix + name);
        return read(document.RootElement, $"demo/{name}");
    }

    /// <summary>Hands a JSON input file to <paramref name="read"/>; unreadable or invalid content is a usage error naming the file.</summary>
    internal static void ReadFile(FileInfo file, string what, Action<JsonElement, string> read) =>
        ReadFile(file, what, (root, source) => Consumed(read, root, source));

    /// <summary>Hands one file of the embedded demo account to <paramref name="read"/>.</summary>
    internal static void ReadDemo(string name, Action<JsonElement, string> read) =>
        ReadDemo(name, (root, source) => Consumed(read, root, source));

    private static bool Consumed(Action<JsonElement, string> read, JsonElement root, string source)
    {
        read(root, source);
        return true;
    }

    private static T Parse<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InputException e)
        {
            throw new UsageException(e.Message);
        }
        catch (InvalidOperationException e) when (e.Source == "System.Text.Json")
        {
            // A JSON value that is syntactically valid but cannot be read as text (an escaped lone surrogate in a name).
            throw new UsageException($"a value cannot be read: {e.Message}");
        }
    }
}
