using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Suppressions;
using EcsRoleAuditor.EventAudit.Handling;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.EventAudit.Configuration;

/// <summary>
/// Reads <see cref="AuditorSettings"/> from environment variables and reports every problem at once, each naming its
/// variable. Values are never quoted back: someone may have pasted a secret into the wrong variable.
/// </summary>
public static class SettingsReader
{
    /// <summary>The variable names.</summary>
    public const string AlertTopicArn = "ALERT_TOPIC_ARN", MinSeverity = "MIN_SEVERITY", Suppressions = "SUPPRESSIONS",
        SweepAllRevisions = "SWEEP_ALL_REVISIONS", LogLevel = "LOG_LEVEL", StateTable = "STATE_TABLE", HistoryDays = "HISTORY_DAYS", RemindAfterDays = "REMIND_AFTER_DAYS",
        OrganizationId = "ORGANIZATION_ID", ReaderRoleName = "READER_ROLE_NAME", AuditRegions = "AUDIT_REGIONS", Accounts = "ACCOUNTS", ExcludedAccounts = "EXCLUDED_ACCOUNTS",
        SweepQueueUrl = "SWEEP_QUEUE_URL", FunctionRegion = "AWS_REGION", SecurityHub = "SECURITY_HUB";

    /// <summary>The longest HISTORY_DAYS: ten years.</summary>
    public const int MaxHistoryDays = 3650;

    /// <summary>Reads the process environment.</summary>
    public static AuditorSettings FromEnvironment() => Read(Environment.GetEnvironmentVariable);

    /// <summary>Reads the settings through <paramref name="variable"/>; throws <see cref="ConfigurationException"/> listing every problem.</summary>
    public static AuditorSettings Read(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var problems = new List<string>();
        var topic = TopicArn(variable(AlertTopicArn), problems);
        var severity = Choice(variable(MinSeverity), Severity.Medium, MinSeverity, "CRITICAL, HIGH, MEDIUM, LOW or INFO",
            text => SeverityNames.TryParse(text, out var parsed) ? parsed : null, problems);
        var suppressions = SuppressionList(variable(Suppressions), problems);
        var sweepAll = Choice(variable(SweepAllRevisions), false, SweepAllRevisions, "true or false",
            text => bool.TryParse(text.Trim(), out var parsed) ? parsed : null, problems);
        // The same names the log writer reads LOG_LEVEL with (LogLevelNames), but strict: a typo is an init error here.
        var logLevel = Choice(variable(LogLevel), Handling.LogLevel.Info, LogLevel, "DEBUG, INFO, WARN or ERROR",
            text => LogLevelNames.TryParse(text, out var parsed) ? parsed : (Handling.LogLevel?)null, problems);
        var table = TableName(variable(StateTable), problems);
        var historyDays = Choice(variable(HistoryDays), State.StoreRules.DefaultHistoryDays, HistoryDays, $"a whole number of days from 1 to {MaxHistoryDays}",
            text => int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= MaxHistoryDays ? days : (int?)null, problems);
        // 0 (the template's default) and empty both mean no reminders.
        var remindDays = Choice(variable(RemindAfterDays), 0, RemindAfterDays, "a whole number of days from 0 (never) to 365",
            text => int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var days) && days is >= 0 and <= 365 ? days : (int?)null, problems);
        var organization = Organization(variable, problems);
        var securityHub = Choice(variable(SecurityHub), false, SecurityHub, "true or false",
            text => bool.TryParse(text.Trim(), out var parsed) ? parsed : null, problems);
        return problems.Count > 0
            ? throw new ConfigurationException(problems)
            : new AuditorSettings(topic!, severity, suppressions, sweepAll, logLevel)
            {
                StateTable = table, HistoryDays = historyDays, RemindAfterDays = remindDays > 0 ? remindDays : null, Organization = organization,
                SecurityHub = securityHub,
            };
    }

    /// <summary>A DynamoDB table name: 3 to 255 of a-z, A-Z, 0-9, '_', '-', '.' (DynamoDB Developer Guide, "Naming rules").</summary>
    public static bool IsTableName(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length is >= 3 and <= 255 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
    }

    private static OrganizationSettings? Organization(Func<string, string?> variable, List<string> problems)
    {
        var id = variable(OrganizationId)?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            // Set without the mode they belong to, they would be ignored while the deployer believes them in force.
            foreach (var name in new[] { Accounts, ExcludedAccounts, SweepQueueUrl, AuditRegions })
            {
                if (!string.IsNullOrWhiteSpace(variable(name)))
                {
                    problems.Add($"{name} is set but {OrganizationId} is empty: it applies to organization mode only.");
                }
            }
            return null;
        }
        if (!AwsNames.IsOrganizationId(id))
        {
            problems.Add($"{OrganizationId} is not an organization id (o- and 10 to 32 lowercase letters or digits).");
        }
        var role = variable(ReaderRoleName)?.Trim() is { Length: > 0 } named ? named : OrganizationSettings.DefaultReaderRoleName;
        if (!AwsNames.IsRoleName(role))
        {
            problems.Add($"{ReaderRoleName} is not an IAM role name (1 to 64 letters, digits or +=,.@_-).");
        }
        var home = variable(FunctionRegion)?.Trim();
        var homePartition = AwsNames.IsRegion(home) ? Aws.Connection.AwsConnection.PartitionOf(home!) : null;
        var regions = List(variable(AuditRegions), AuditRegions, text =>
            !AwsNames.IsRegion(text) ? "is not a region"
            : homePartition is not null && Aws.Connection.AwsConnection.PartitionOf(text) != homePartition ? "is in another partition than the function's region: its accounts' roles cannot be assumed from here"
            : null, problems);
        if (regions.IsEmpty && !problems.Any(p => p.StartsWith(AuditRegions, StringComparison.Ordinal)))
        {
            if (homePartition is null)
            {
                problems.Add($"{AuditRegions} is empty and {FunctionRegion} names no region to default to.");
            }
            else
            {
                regions = [home!];
            }
        }
        var accounts = List(variable(Accounts), Accounts, text => AwsNames.IsAccountId(text) ? null : "is not a 12-digit account id", problems);
        // An account both listed and excluded: whichever won, the deployer meant the other.
        var excluded = List(variable(ExcludedAccounts), ExcludedAccounts,
            text => !AwsNames.IsAccountId(text) ? "is not a 12-digit account id" : accounts.Contains(text) ? $"is also in {Accounts}" : null, problems);
        var queue = variable(SweepQueueUrl)?.Trim();
        if (string.IsNullOrEmpty(queue))
        {
            problems.Add($"{SweepQueueUrl} is required in organization mode: the queue the sweep is fanned out over.");
        }
        else if (!Uri.TryCreate(queue, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || url.AbsolutePath.Length <= 1 || queue.Any(char.IsWhiteSpace))
        {
            problems.Add($"{SweepQueueUrl} is not a queue URL (https://sqs.<region>.amazonaws.com/<account>/<queue>).");
        }
        return new OrganizationSettings(id, role, regions, accounts, queue ?? "") { ExcludedAccounts = excluded };
    }

    // A comma-separated list, in its order: every item valid, none empty, none twice (a repeated item would be swept twice).
    private static ImmutableArray<string> List(string? value, string name, Func<string, string?> problemOf, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }
        var items = value.Split(',').Select(i => i.Trim()).ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < items.Length; i++)
        {
            if (problemOf(items[i]) is { } problem)
            {
                problems.Add($"{name} item {i + 1} {problem}.");
            }
            else if (!seen.Add(items[i]))
            {
                problems.Add($"{name} item {i + 1} repeats an earlier item.");
            }
            else
            {
                list.Add(items[i]);
            }
        }
        return list.ToImmutable();
    }

    private static string? TableName(string? value, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var text = value.Trim();
        if (!IsTableName(text))
        {
            problems.Add($"{StateTable} is not a DynamoDB table name (3 to 255 letters, digits, '_', '-' or '.'); leave it empty to run without the findings store.");
            return null;
        }
        return text;
    }

    private static string? TopicArn(string? value, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{AlertTopicArn} is required: the ARN of the SNS topic alerts are published to.");
            return null;
        }
        // arn:partition:sns:region:account:name in any partition, with a 12-digit account, a name without colons and no whitespace.
        var text = value.Trim();
        var valid = Arn.TryParse(text, out var topic) && topic.Partition.Length > 0 && topic.Service == "sns" && topic.IsRegional
            && topic.Account is { Length: 12 } account && account.All(char.IsAsciiDigit)
            && topic.Resource.Length > 0 && !topic.Resource.Contains(':', StringComparison.Ordinal) && !text.Any(char.IsWhiteSpace);
        if (!valid)
        {
            problems.Add($"{AlertTopicArn} is not an SNS topic ARN (expected arn:<partition>:sns:<region>:<account>:<topic>).");
            return null;
        }
        return text;
    }

    private static T Choice<T>(string? value, T fallback, string name, string allowed, Func<string, T?> parse, List<string> problems)
        where T : struct
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }
        if (parse(value) is { } parsed)
        {
            return parsed;
        }
        problems.Add($"{name} must be {allowed}.");
        return fallback;
    }

    private static ImmutableArray<Suppression> SuppressionList(string? value, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }
        try
        {
            return SuppressionConfig.ParseVariable(value, Suppressions);
        }
        catch (InputException e)
        {
            // The parser names the variable (its source) and the JSON path of the problem, not the text around it.
            problems.Add(e.Message.EndsWith('.') ? e.Message : e.Message + ".");
            return [];
        }
    }
}
