using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>One SNS message as <c>event --format json</c> prints it, its bodies parsed.</summary>
internal sealed record EventMessage(
    string TopicArn, bool Published, string? MessageId, string Subject, IReadOnlyDictionary<string, (string DataType, string Value)> Attributes,
    JsonElement Report, string Email, JsonElement Chat)
{
    public string Attribute(string name) => Attributes[name].Value;

    public string[] RuleIds => JsonSerializer.Deserialize<string[]>(Attribute("ruleIds"))!;

    /// <summary>The report's findings (one task definition per violation message).</summary>
    public IEnumerable<JsonElement> Findings => Report.GetProperty("reports").EnumerateArray().SelectMany(r => r.GetProperty("findings").EnumerateArray());

    public static EventMessage Of(JsonElement message)
    {
        var bodies = message.GetProperty("bodies");
        Assert.Equal(["default", "email", "https"], bodies.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        return new EventMessage(
            message.GetProperty("topicArn").GetString()!,
            message.GetProperty("published").GetBoolean(),
            message.TryGetProperty("messageId", out var id) ? id.GetString() : null,
            message.GetProperty("subject").GetString()!,
            message.GetProperty("attributes").EnumerateObject().ToDictionary(
                a => a.Name, a => (a.Value.GetProperty("dataType").GetString()!, a.Value.GetProperty("value").GetString()!), StringComparer.Ordinal),
            bodies.GetProperty("default").Clone(),
            bodies.GetProperty("email").GetString()!,
            bodies.GetProperty("https").Clone());
    }

    /// <summary>
    /// Asserts what every alert carries: attributes that agree with the subject and the report (severity and its rank,
    /// the rule ids, the family, the account and region of the task definition), the JSON report, an email naming each
    /// finding's role and fix, and an AWS Chatbot custom notification.
    /// </summary>
    public void AssertWellFormed()
    {
        var severity = Attribute("severity");
        Assert.StartsWith($"[{severity}] ", Subject, StringComparison.Ordinal);
        Assert.Equal(("Number", ((int)Enum.Parse<Severity>(severity, ignoreCase: true)).ToString(System.Globalization.CultureInfo.InvariantCulture)), Attributes["severityRank"]);
        Assert.Equal("String.Array", Attributes["ruleIds"].DataType);
        Assert.Equal(Findings.Select(f => f.GetProperty("ruleId").GetString()!).Distinct().Order(StringComparer.Ordinal), RuleIds);
        Assert.Equal(severity, Findings.Select(f => f.GetProperty("severity").GetString()!).MaxBy(s => Enum.Parse<Severity>(s, ignoreCase: true)));
        Assert.Equal(1, Report.GetProperty("schemaVersion").GetInt32());
        foreach (var report in Report.GetProperty("reports").EnumerateArray())
        {
            // arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION
            var arn = report.GetProperty("taskDefinitionArn").GetString()!.Split(':');
            Assert.Equal((arn[3], arn[4], report.GetProperty("family").GetString()), (Attribute("region"), Attribute("accountId"), Attribute("family")));
            Assert.Contains($"{report.GetProperty("family").GetString()}:{report.GetProperty("revision").GetInt32()}", Email, StringComparison.Ordinal);
        }
        foreach (var finding in Findings.Where(f => f.GetProperty("roleArn").GetString() is not null))
        {
            Assert.Contains($"role {finding.GetProperty("roleArn").GetString()!.Split('/')[^1]}", Email, StringComparison.Ordinal);
            Assert.Contains($"Fix: {finding.GetProperty("remediation").GetString()}", Email, StringComparison.Ordinal);
        }
        Assert.Equal(("1.0", "custom"), (Chat.GetProperty("version").GetString(), Chat.GetProperty("source").GetString()));
        var content = Chat.GetProperty("content");
        Assert.Equal("client-markdown", content.GetProperty("textType").GetString());
        Assert.False(string.IsNullOrWhiteSpace(content.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(content.GetProperty("description").GetString()));
    }
}

/// <summary>What <c>event --format json</c> printed and returned.</summary>
internal sealed record EventOutput(int ExitCode, IReadOnlyList<EventMessage> Messages, JsonElement Response, string Stderr)
{
    public IEnumerable<string> Subjects => Messages.Select(m => m.Subject);

    public static EventOutput Of(CliRun run)
    {
        using var document = JsonDocument.Parse(run.Stdout);
        var root = document.RootElement;
        return new EventOutput(run.ExitCode, [.. root.GetProperty("messages").EnumerateArray().Select(EventMessage.Of)], root.GetProperty("response").Clone(), run.Stderr);
    }

    /// <summary>Runs <c>event SAMPLE ... --format json</c> in this process.</summary>
    public static EventOutput Run(string sample, params string[] options) =>
        Of(CliRun.Of([.. Arguments(sample, options)]));

    /// <summary>The command line of <c>event SAMPLE ... --format json</c>; a <paramref name="sample"/> path outside <c>events/</c> is taken as it is.</summary>
    public static IEnumerable<string> Arguments(string sample, IEnumerable<string> options) =>
        ["event", Path.Combine(TestData.SampleEvents.Folder, sample), .. options, "--format", "json"];
}
