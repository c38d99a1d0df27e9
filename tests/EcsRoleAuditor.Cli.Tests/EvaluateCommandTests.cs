using System.Text.Json;

namespace EcsRoleAuditor.Cli.Tests;

public sealed class EvaluateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("era-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteFile(string content)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, content);
        return path;
    }

    private static JsonElement[] Lines(CliRun run) => [.. run.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    [Fact]
    public void Sample_decides_every_case_and_reports_the_broken_one()
    {
        var run = CliRun.Of("evaluate", "--sample");

        Assert.Equal(0, run.ExitCode);
        var lines = Lines(run);
        Assert.Equal(
            ["Allowed", "Allowed", "ImplicitlyDenied", "Allowed", "ExplicitlyDenied", "ImplicitlyDenied", null],
            lines.Select(l => l.TryGetProperty("decision", out var d) ? d.GetString() : null));
        var error = lines[^1].GetProperty("error").GetString()!;
        Assert.Contains("$.Statement[0].Effect", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_lists_the_statements_that_matched()
    {
        var run = CliRun.Of("evaluate", "--sample", "--explain");

        var plainHttp = Lines(run)[4];
        Assert.Equal("ExplicitlyDenied", plainHttp.GetProperty("decision").GetString());
        var matched = plainHttp.GetProperty("matchedStatements").EnumerateArray().ToList();
        Assert.Equal(["TlsOnly", "Uploads"], matched.Select(m => m.GetProperty("sid").GetString()));
        Assert.Equal("Deny", matched[0].GetProperty("effect").GetString());
    }

    [Fact]
    public void Cases_file_gives_one_line_per_case_in_order_and_goes_on_after_a_broken_case()
    {
        var path = WriteFile("""
            {"cases":[
              {"id":"a","identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sqs:*","Resource":"*"}}],"action":"sqs:SendMessage","resource":"arn:aws:sqs:us-east-1:111122223333:q"},
              {"id":"b","identityPolicies":"not an array","action":"sqs:SendMessage","resource":"*"},
              {"id":"c","identityPolicies":["%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Effect%22%3A%22Deny%22%2C%22Action%22%3A%22sqs%3A*%22%2C%22Resource%22%3A%22*%22%7D%7D"],"action":"sqs:SendMessage","resource":"arn:aws:sqs:us-east-1:111122223333:q"},
              {"id":"d","identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["team"]}}}}],"action":"s3:GetObject","resource":"arn:aws:s3:::b/k","context":{"aws:TagKeys":["env","team"]}}
            ]}
            """);
        var run = CliRun.Of("evaluate", "--cases", path);

        Assert.Equal(0, run.ExitCode);
        var lines = Lines(run);
        Assert.Equal(["a", "b", "c", "d"], lines.Select(l => l.GetProperty("id").GetString()));
        Assert.Equal("Allowed", lines[0].GetProperty("decision").GetString());
        Assert.Contains("identityPolicies must be an array", lines[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("ExplicitlyDenied", lines[2].GetProperty("decision").GetString());
        Assert.Equal("Allowed", lines[3].GetProperty("decision").GetString());
    }

    [Fact]
    public void Invalid_json_exits_2_with_line_and_column()
    {
        var path = WriteFile("{\"cases\": [\n  {\"id\": \"a\",}\n]}");
        var run = CliRun.Of("evaluate", "--cases", path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("line 2", run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void A_file_without_cases_exits_2()
    {
        var run = CliRun.Of("evaluate", "--cases", WriteFile("[]"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("\"cases\" array", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_exits_2_naming_it()
    {
        var missing = Path.Combine(_dir, "nope.json");
        var run = CliRun.Of("evaluate", "--cases", missing);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("nope.json", run.Stderr, StringComparison.Ordinal);
    }

    // A misspelt "permissionBoundaries" would otherwise evaluate the case without its boundaries: allowed where it is not.
    [Fact]
    public void Context_keys_that_differ_only_in_case_are_an_error_for_that_case_not_last_wins()
    {
        // IAM condition key names are not case-sensitive (IAM User Guide, IAM JSON policy elements: Condition), so these
        // two are one key given twice, and either order would otherwise decide the request.
        var path = WriteFile("""
            {"cases":[
              {"id":"a","identityPolicies":[{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}}],"action":"s3:GetObject","resource":"*","context":{"aws:SecureTransport":"true","AWS:securetransport":"false"}},
              {"id":"b","identityPolicies":[{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}],"action":"s3:GetObject","resource":"*"}
            ]}
            """);

        var lines = Lines(CliRun.Of("evaluate", "--cases", path));

        Assert.False(lines[0].TryGetProperty("decision", out _));
        Assert.Contains("'aws:SecureTransport' again", lines[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("Allowed", lines[1].GetProperty("decision").GetString());
    }

    [Fact]
    public void A_case_with_an_unknown_key_is_an_error_for_that_case_and_the_run_goes_on()
    {
        var path = WriteFile("""
            {"cases":[
              {"id":"a","identityPolicies":[{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}],"permissionBoundary":[{"Statement":{"Effect":"Allow","Action":"sqs:*","Resource":"*"}}],"action":"s3:GetObject","resource":"*"},
              {"id":"b","identityPolicies":[{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}],"action":"s3:GetObject","resource":"*"}
            ]}
            """);

        var run = CliRun.Of("evaluate", "--cases", path);

        Assert.Equal(0, run.ExitCode);
        var lines = Lines(run);
        Assert.Equal("a", lines[0].GetProperty("id").GetString());
        Assert.False(lines[0].TryGetProperty("decision", out _));
        Assert.Equal(
            "$.cases[0].permissionBoundary: unknown key; a case has only id, identityPolicies, permissionBoundaries, action, resource, context",
            lines[0].GetProperty("error").GetString());
        Assert.Equal("Allowed", lines[1].GetProperty("decision").GetString());
    }

    [Theory]
    [InlineData("evaluate")]
    [InlineData("evaluate", "--sample", "--cases", "x.json")]
    [InlineData("frobnicate")]
    [InlineData("evaluate", "--no-such-option")]
    public void Bad_usage_exits_2_with_one_line_on_stderr(params string[] args)
    {
        var run = CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.Empty(run.Stdout);
    }
}
