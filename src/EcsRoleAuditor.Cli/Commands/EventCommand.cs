using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Aws.Offline;
using EcsRoleAuditor.Cli.EventRuns;
using EcsRoleAuditor.EventAudit.Configuration;
using EcsRoleAuditor.EventAudit.Handling;
using EcsRoleAuditor.Pipeline;
using EcsRoleAuditor.State.Dynamo;
using EcsRoleAuditor.State.Memory;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary>
/// <c>event FILE</c>: runs the Lambda's handler in this process on one event (a sample from <c>events/</c>, or one
/// copied from EventBridge or CloudTrail) and prints the SNS messages it would publish; <c>--publish</c> sends them.
/// ECS and IAM are answered from AWS CLI output files (<c>--iam</c>, <c>--task-definitions</c>), the embedded demo
/// account (<c>--demo</c>) or AWS itself (<c>--live</c>). The configuration is the function's: the same environment
/// variables, each of which an option overrides. This is the Lambda path without Docker or a deployment.
/// </summary>
internal static partial class EventCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var eventFile = new Argument<FileInfo>("FILE") { Description = "The event as the Lambda receives it: an EventBridge event (see events/) or {\"taskDefinition\": \"family:revision\"}." };
        var iam = new Option<FileInfo?>("--iam") { Description = "Answer IAM from the output of 'aws iam get-account-authorization-details --output json'." };
        var taskDefinitions = new Option<FileInfo[]>("--task-definitions")
        {
            Description = "Answer ECS from outputs of 'aws ecs describe-task-definition --include TAGS --output json' (with --iam).",
            AllowMultipleArgumentsPerToken = true,
        };
        var demo = new Option<bool>("--demo") { Description = "Answer ECS and IAM from the embedded demo account (the account the samples in events/ are about)." };
        var aws = new AwsOptions();
        var publish = new Option<bool>("--publish") { Description = "Publish the messages to the topic (needs AWS credentials); without it nothing is sent." };
        var topic = new Option<string?>("--topic-arn") { Description = "The alert topic (default: ALERT_TOPIC_ARN; needed with --publish)." };
        var minSeverity = new Option<string?>("--min-severity") { Description = "Alert on findings at or above CRITICAL, HIGH, MEDIUM, LOW or INFO (default: MIN_SEVERITY, then MEDIUM)." };
        var suppressions = new Option<FileInfo?>("--suppressions") { Description = "Configured suppressions, the JSON SUPPRESSIONS holds (default: SUPPRESSIONS)." };
        var allRevisions = new Option<bool>("--all-revisions") { Description = "A scheduled sweep audits every ACTIVE revision, not only the latest (default: SWEEP_ALL_REVISIONS)." };
        var timeout = new Option<double>("--timeout")
        {
            Description = "The invocation's time limit in seconds, like the function's Timeout: the handler stops auditing 3 s before it and alerts what it could not finish.",
            DefaultValueFactory = _ => 120,
        };
        var logLevel = new Option<string?>("--log-level") { Description = "The handler's log lines on standard error from DEBUG, INFO, WARN or ERROR (default: LOG_LEVEL, then WARN)." };
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _ => "text" };
        var stateFile = new Option<FileInfo?>("--state-file")
        {
            Description = "Keep the findings store in this local JSON file (created when missing): alert each finding once and announce its resolution, as the function does with STATE_TABLE.",
        };
        var stateTable = new Option<string?>("--state-table")
        {
            Description = "Keep the findings store in this DynamoDB table (with --live; the function's STATE_TABLE), as the function does.",
        };
        var command = new Command("event", "Run the Lambda's handler on one event in this process and print the SNS messages it would publish (--publish sends them).")
        {
            eventFile, iam, taskDefinitions, demo, publish, topic, minSeverity, suppressions, allRevisions, timeout, logLevel, format, stateFile, stateTable,
        };
        aws.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var json = result.GetValue(format) switch
            {
                "text" => false,
                "json" => true,
                var other => throw new UsageException($"--format must be text or json, not '{other}'"),
            };
            var seconds = result.GetValue(timeout);
            if (!(seconds > 0 && seconds <= 900))
            {
                throw new UsageException($"--timeout must be more than 0 and at most 900 seconds (Lambda's limit), not {seconds}");
            }
            var file = result.GetValue(eventFile)!;
            byte[] payload;
            EventEnvelope envelope;
            using (var document = InputFiles.OpenJson(file, "the event"))
            {
                payload = Encoding.UTF8.GetBytes(document.RootElement.GetRawText());
                envelope = EventEnvelope.Of(document.RootElement);
            }
            if (aws.HasConnectionOptions(result) && !aws.IsLive(result) && !result.GetValue(publish))
            {
                throw new UsageException("--region, --profile, --assume-role and --request-timeout go with --live or --publish");
            }
            if (aws.HasRegion(result) && !aws.IsLive(result))
            {
                // --publish alone calls SNS in the topic's region; a --region there would be silently ignored.
                throw new UsageException("--region goes with --live (SNS is called in the topic's region)");
            }
            // Every usage error is found before AWS is reached: a missing source or topic is not a credentials problem.
            var stateFileInfo = result.GetValue(stateFile);
            if (stateFileInfo?.Name == "-")
            {
                throw new UsageException("--state-file needs a file: the run reads it and writes it back, which standard input cannot be");
            }
            var statePath = stateFileInfo?.FullName;
            var tableName = result.GetValue(stateTable) is { } givenTable ? TableNameOf(givenTable) : null;
            if (tableName is not null && (statePath is not null || !aws.IsLive(result)))
            {
                throw new UsageException(statePath is not null ? "--state-file and --state-table are two stores: give one" : "--state-table goes with --live (the table is read with the same credentials and region)");
            }
            var sources = new Sources(iam, taskDefinitions, demo, aws);
            sources.CheckExactlyOne(result);
            var offline = sources.ReadOffline(result);
            var settings = Settings(result, topic, minSeverity, suppressions, allRevisions, logLevel, envelope.Or(offline?.Scope()));
            var log = new StandardErrorAuditLog(stderr, settings.Settings.LogLevel);
            var metrics = new CollectedAuditMetrics();
            var publishTo = result.GetValue(publish) ? PublishRegion(settings) : null;
            // Held from reading the state file to writing it back, and proof it can be written before anything is published.
            using var stateLock = statePath is null ? null : InputFiles.Checked(() => FindingStateFile.Lock(statePath));
            using var connection = sources.OpenLive(result);
            // SNS is called in the topic's region, whatever --region says about ECS and IAM.
            using var publishing = publishTo is null ? null : aws.Open(result, publishTo);
            var messages = new HandedMessages(publishing?.Sns);
            var store = statePath is null ? null : InputFiles.Checked(() => FindingStateFile.Load(statePath, TimeProvider.System, settings.Settings.HistoryDays));
            var dependencies = (offline is not null
                ? new AuditDependencies(offline.Sources, messages, log, metrics, TimeProvider.System)
                : AuditDependencies.ForAws(connection!.Ecs, connection.Iam, messages, settings.IsPlaceholder ? null : settings.Settings.AccountId, log, metrics, TimeProvider.System))
                with { Findings = tableName is not null ? new DynamoFindingStore(connection!.DynamoDb, tableName, TimeProvider.System, settings.Settings.HistoryDays) : store };
            var handler = new AuditInvocationHandler(settings.Settings, dependencies);
            var context = new InvocationContext($"cli-{Guid.NewGuid():D}", DateTimeOffset.UtcNow.AddSeconds(seconds), settings.FunctionArn, null);
            string response;
            try
            {
                response = await handler.HandleAsync(payload, context, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Saved also when the invocation failed: its claims stay pending, and running the same event again is the retry.
                SaveState(store, statePath);
                Print(messages, "{}", json, stdout);
                stderr.WriteLine($"ecs-role-auditor: the invocation failed, so Lambda would retry it and then keep the event in the dead-letter queue: {(e is Amazon.Runtime.AmazonServiceException { ErrorCode: { Length: > 0 } code } ? code : e.GetType().Name)}: {e.Message}");
                return ExitCodes.InvocationFailed;
            }
            SaveState(store, statePath);
            Print(messages, response, json, stdout);
            stderr.WriteLine($"ecs-role-auditor: {FindingFactory.Count(metrics.Reports.Count, "task definition")} audited, {metrics.Incomplete} left unfinished, "
                + $"{FindingFactory.Count(messages.All.Count, "message")} {(messages.Publishing ? "published" : "not published (dry run)")}"
                + (connection is null ? "" : $"; {FindingFactory.Count((int)Math.Min(metrics.AwsApiCalls, int.MaxValue), "AWS API call")}"));
            if (metrics.Incomplete > 0)
            {
                stderr.WriteLine($"ecs-role-auditor: audit incomplete: {FindingFactory.Count(metrics.Incomplete, "task definition")} could not be audited (see the ERA005 message)");
                return ExitCodes.Incomplete;
            }
            return ExitCodes.For(metrics.Reports, settings.Settings.MinSeverity, stderr);
        });
        return command;
    }

    // The rule the function's STATE_TABLE is held to, with the option's name.
    private static string TableNameOf(string name) => SettingsReader.IsTableName(name.Trim())
        ? name.Trim()
        : throw new UsageException("--state-table is not a DynamoDB table name (3 to 255 letters, digits, '_', '-' or '.')");

    private static void SaveState(InMemoryFindingStore? store, string? path)
    {
        if (store is not null && path is not null)
        {
            InputFiles.Checked(() =>
            {
                FindingStateFile.Save(store, path);
                return path;
            });
        }
    }

    private static void Print(HandedMessages messages, string response, bool json, TextWriter stdout)
    {
        if (json)
        {
            MessagePrinter.WriteJson(messages.All, response, stdout);
        }
        else
        {
            MessagePrinter.WriteText(messages.All, response, stdout);
        }
    }

    // The function's settings: each option overrides its environment variable. Without a topic a dry run addresses a
    // placeholder in the event's account and region, else those of the files (the alerts' links and attributes come from
    // the task definition; the placeholder's matter only when there is none, as in an incomplete audit's alert).
    private static EventSettings Settings(ParseResult result, Option<string?> topic, Option<string?> minSeverity, Option<FileInfo?> suppressions,
        Option<bool> allRevisions, Option<string?> logLevel, EventEnvelope envelope)
    {
        var topicArn = result.GetValue(topic) ?? Environment.GetEnvironmentVariable(SettingsReader.AlertTopicArn);
        var placeholder = string.IsNullOrWhiteSpace(topicArn);
        if (placeholder)
        {
            var region = string.IsNullOrEmpty(envelope.Region) ? "us-east-1" : envelope.Region;
            // A region belongs to one partition: a China or GovCloud event gets its placeholder topic (and the console links
            // that follow from it) there.
            topicArn = Arn.Create(AwsConnection.PartitionOf(region), "sns", region, envelope.Account ?? "000000000000", "ecs-role-auditor-dry-run").ToString();
        }
        // Read here, not only by the handler: an error then names the file rather than the SUPPRESSIONS variable it stands for.
        var suppressionText = result.GetValue(suppressions) is { } file ? InputFiles.ReadSuppressions(file).Text : null;
        string? Variable(string name) => name switch
        {
            SettingsReader.AlertTopicArn => topicArn,
            SettingsReader.MinSeverity => result.GetValue(minSeverity) ?? Environment.GetEnvironmentVariable(name),
            SettingsReader.Suppressions => suppressionText ?? Environment.GetEnvironmentVariable(name),
            SettingsReader.SweepAllRevisions => result.GetValue(allRevisions) ? "true" : Environment.GetEnvironmentVariable(name),
            SettingsReader.LogLevel => result.GetValue(logLevel) ?? Environment.GetEnvironmentVariable(name) ?? "WARN",
            // The store is chosen by --state-file only: a STATE_TABLE left in the shell must not make a dry run write to a table.
            SettingsReader.StateTable => null,
            _ => Environment.GetEnvironmentVariable(name),
        };
        try
        {
            return new EventSettings(SettingsReader.Read(Variable), placeholder);
        }
        catch (ConfigurationException e)
        {
            // The reader names variables; say which option sets each.
            throw new UsageException(e.Message + " (options: --topic-arn, --min-severity, --suppressions, --all-revisions, --log-level)");
        }
    }

    private static string PublishRegion(EventSettings settings) => settings.IsPlaceholder
        ? throw new UsageException("--publish needs the topic: --topic-arn ARN or ALERT_TOPIC_ARN")
        : settings.TopicRegion;

    /// <summary>The function's settings, and whether the topic is the dry run's placeholder.</summary>
    private sealed record EventSettings(AuditorSettings Settings, bool IsPlaceholder)
    {
        // SettingsReader accepted it, so it is an SNS topic ARN with a region and an account.
        private Arn Topic => Arn.Parse(Settings.AlertTopicArn);

        public string TopicRegion => Topic.Region;

        /// <summary>The function the handler believes it is (the alerts' fallback partition, region and account): the topic's.</summary>
        public string FunctionArn => Arn.Create(Topic.Partition, "lambda", Topic.Region, Topic.Account, "function:ecs-role-auditor-cli").ToString();
    }

    /// <summary>ECS and IAM answered from files or the demo account.</summary>
    private sealed record OfflineAccount(RecordedEcs Ecs, RecordedIam Iam)
    {
        public AuditSources Sources => AuditSources.Recorded(Ecs, Iam);

        public EventEnvelope Scope()
        {
            var definition = Ecs.Arns.Select(Parsed).FirstOrDefault(arn => arn is not null);
            var account = definition?.Account ?? Iam.AccountId;
            return new EventEnvelope(account, definition?.Region);
        }

        private static Arn? Parsed(string text) => Arn.TryParse(text, out var arn) ? arn : null;
    }

    private sealed partial record EventEnvelope(string? Account, string? Region)
    {
        /// <summary>Each field this envelope lacks, taken from <paramref name="other"/>.</summary>
        public EventEnvelope Or(EventEnvelope? other) => new(Account ?? other?.Account, Region ?? other?.Region);

        // Only names of the shape AWS gives them: the region picks the placeholder topic's partition, and the SDK's
        // endpoint table throws on anything that is not a hostname component ("*", control characters).
        public static EventEnvelope Of(JsonElement root) =>
            new(Text(root, "account") is { } account && AccountId().IsMatch(account) ? account : null,
                Text(root, "region") is { } region && RegionName().IsMatch(region) ? region : null);

        // Only a plain name: "\udc00" is valid JSON but no text, and the handler says what is wrong with the event.
        private static string? Text(JsonElement root, string name) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                && !value.GetRawText().Contains('\\', StringComparison.Ordinal) ? value.GetString() : null;

        [GeneratedRegex(@"^[0-9]{12}\z")]
        private static partial Regex AccountId();

        [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}\z")]
        private static partial Regex RegionName();
    }

    /// <summary>Where ECS and IAM answers come from: exactly one of the files, the demo account or AWS.</summary>
    private sealed record Sources(Option<FileInfo?> Iam, Option<FileInfo[]> TaskDefinitions, Option<bool> Demo, AwsOptions Aws)
    {
        public void CheckExactlyOne(ParseResult result)
        {
            var files = result.GetValue(Iam) is not null || result.GetValue(TaskDefinitions) is { Length: > 0 };
            if ((files ? 1 : 0) + (result.GetValue(Demo) ? 1 : 0) + (Aws.IsLive(result) ? 1 : 0) != 1)
            {
                throw new UsageException("event needs one source for ECS and IAM: --iam FILE [--task-definitions FILE...], --demo, or --live");
            }
        }

        public AwsConnection? OpenLive(ParseResult result) => Aws.IsLive(result) ? Aws.Open(result) : null;

        /// <summary>The answers from files or the demo account; null with --live.</summary>
        public OfflineAccount? ReadOffline(ParseResult result)
        {
            if (Aws.IsLive(result))
            {
                return null;
            }
            var ecs = new RecordedEcs();
            RecordedIam account;
            if (result.GetValue(Demo))
            {
                account = AuditCommand.ReadDemo("account.json", RecordedIam.Read);
                AuditCommand.ReadDemo("task-definitions.json", ecs.Add);
            }
            else
            {
                var iamFile = result.GetValue(Iam) ?? throw new UsageException("--task-definitions goes with --iam FILE: the roles the task definitions name");
                account = AuditCommand.ReadFile(iamFile, "the IAM file", RecordedIam.Read);
                foreach (var file in result.GetValue(TaskDefinitions) ?? [])
                {
                    AuditCommand.ReadFile(file, "the task definition file", ecs.Add);
                }
            }
            return new OfflineAccount(ecs, account);
        }
    }
}
