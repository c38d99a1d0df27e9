using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using static EcsRoleAuditor.Audit.Tests.Rules.Breadth.BreadthScenario;

namespace EcsRoleAuditor.Audit.Tests.Rules.Breadth;

public class PlaintextSecretTests
{
    private const string ExecutionRole = """{"arn":"arn:aws:iam::111122223333:role/app-execution"}""";

    // Assembled at run time so that no secret-looking literal sits in the repository.
    private static readonly string AccessKeyId = "AKIA" + "IOSFODNN7EXAMPLE";
    private static readonly string PrivateKey = "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEowIBAAKCAQEAtestonly\n-----END RSA PRIVATE KEY-----";
    private static readonly string Jwt = "eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIn0" + ".dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    private static readonly string DatabaseUrl = "postgres://app:" + "s3cr3t-Pa55@db.internal:5432/app";
    private static readonly string RandomKey = "q8Zr2Lw9Xk4Tn7Vb1Hc6Jm3Pd5Sf0Gy8" + "Ae2Ru";

    public static TheoryData<string, string, string> Secrets => new()
    {
        { "UPSTREAM_ID", AccessKeyId, "AWS access key id" },
        { "TLS_MATERIAL", PrivateKey, "private key" },
        { "SESSION", Jwt, "JSON Web Token" },
        { "DATABASE_URL", DatabaseUrl, "password in it" },
        { "SIGNING", RandomKey, "random-looking" },
        { "DB_PASSWORD", "correct horse battery", "name says" },
        { "STRIPE_API_KEY", "sk_test_value_here", "name says" },
        { "GITHUB_TOKEN", "ghp_notreallyatoken", "name says" },
        { "OAUTH_CLIENT_SECRET", "a-client-secret", "name says" },
        { "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY", "name says" },
    };

    [Theory]
    [MemberData(nameof(Secrets))]
    public async Task A_secret_looking_variable_is_flagged_without_ever_printing_its_value(string name, string value, string why)
    {
        var finding = Assert.Single(await Audited(ScenarioWith((name, value)), PlaintextSecretInEnvironmentRule.Rule));
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(RoleSlot.TaskDefinition, finding.RoleSlot);
        Assert.Equal("containerDefinitions[0].environment[1]", finding.Source.Name);
        Assert.Contains($"Container app of app sets {name}", finding.Message, StringComparison.Ordinal);
        Assert.Contains(why, finding.Message, StringComparison.Ordinal);
        Assert.Contains("\"secrets\"", finding.Remediation, StringComparison.Ordinal);
        AssertNeverPrinted(finding, value);
    }

    [Theory]
    [InlineData("DB_PASSWORD_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:web/db-AbCdEf")]
    [InlineData("AUTH_TOKEN_URL", "https://auth.example.com/oauth2/token")]
    [InlineData("DB_SECRET_NAME", "web/db")]
    [InlineData("PASSWORD_MIN_LENGTH", "12")]
    [InlineData("TOKEN_CACHE_ENABLED", "true")]
    [InlineData("API_KEY_HEADER", "X-Api-Key")]
    [InlineData("TOKENIZER_MODEL", "bert-base-uncased")]
    [InlineData("GIT_SHA", "3f786850e387550fdab836ed7e6dc881de23001b")]
    [InlineData("IMAGE", "111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2")]
    [InlineData("DB_PASSWORD", "")]
    public async Task References_settings_and_ordinary_values_are_not_flagged(string name, string value) =>
        Assert.Empty(await Audited(ScenarioWith((name, value)), PlaintextSecretInEnvironmentRule.Rule));

    [Fact]
    public async Task Each_secret_variable_is_its_own_finding()
    {
        var findings = await Audited(ScenarioWith(("DB_PASSWORD", "correct horse battery"), ("API_TOKEN", "tok-123456789")), PlaintextSecretInEnvironmentRule.Rule);
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => AssertNeverPrinted(f, "correct horse battery"));
        Assert.All(findings, f => AssertNeverPrinted(f, "tok-123456789"));
    }

    [Fact]
    public async Task No_field_of_the_whole_report_carries_the_value()
    {
        var report = await RuleExampleTests.Audit(ScenarioWith(("DB_PASSWORD", "correct horse battery"), ("UPSTREAM", AccessKeyId)), "no value anywhere");
        Assert.Equal(2, report.Findings.Count(f => f.Rule == PlaintextSecretInEnvironmentRule.Rule));
        var json = JsonSerializer.Serialize(report);
        Assert.DoesNotContain("correct horse battery", json, StringComparison.Ordinal);
        Assert.DoesNotContain(AccessKeyId, json, StringComparison.Ordinal);
        Assert.DoesNotContain("IOSFODNN7", json, StringComparison.Ordinal);
    }

    private static string ScenarioWith(params (string Name, string Value)[] variables)
    {
        var environment = JsonSerializer.Serialize(new[] { new Dictionary<string, string> { ["name"] = "REGION", ["value"] = "eu-west-1" } }
            .Concat(variables.Select(v => new Dictionary<string, string> { ["name"] = v.Name, ["value"] = v.Value })));
        return Scenario(null, ExecutionRole, environment);
    }

    private static void AssertNeverPrinted(Finding finding, string value)
    {
        var json = JsonSerializer.Serialize(finding);
        Assert.DoesNotContain(JsonSerializer.Serialize(value)[1..^1], json, StringComparison.Ordinal);
        foreach (var field in new[] { finding.Message, finding.Remediation, finding.Source.Name, finding.Statement, finding.Conditional }.Concat(finding.Actions).Concat(finding.Resources))
        {
            Assert.DoesNotContain(value, field ?? "", StringComparison.Ordinal);
        }
    }
}
