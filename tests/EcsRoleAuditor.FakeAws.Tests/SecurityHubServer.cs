using System.Text.Json.Nodes;

namespace EcsRoleAuditor.FakeAws.Tests;

/// <summary>A fake AWS serving one account for Security Hub tests, and findings that are valid ASFF for it.</summary>
internal static class SecurityHubServer
{
    public const string Account = "111122223333";
    public const string Region = "eu-west-1";
    public const string ProductArn = $"arn:aws:securityhub:{Region}:{Account}:product/{Account}/default";

    public static Task<FakeAwsServer> StartAsync() => FakeAwsServer.StartAsync(new FakeAccount { AccountId = Account, Region = Region });

    /// <summary>
    /// A finding with every required attribute ("Required top-level ASFF attributes", Security Hub User Guide), for the
    /// default product of <see cref="Account"/> in <paramref name="region"/>.
    /// </summary>
    public static JsonObject Finding(string id = "era/ERA030/orders-api", string updatedAt = "2026-12-01T10:00:00.000Z", string region = Region) => new()
    {
        ["SchemaVersion"] = "2018-10-08",
        ["Id"] = id,
        ["ProductArn"] = $"arn:aws:securityhub:{region}:{Account}:product/{Account}/default",
        ["GeneratorId"] = "ERA030",
        ["AwsAccountId"] = Account,
        ["Types"] = new JsonArray("Software and Configuration Checks/AWS Security Best Practices"),
        ["CreatedAt"] = "2026-12-01T10:00:00.000Z",
        ["UpdatedAt"] = updatedAt,
        ["Severity"] = new JsonObject { ["Label"] = "HIGH" },
        ["Title"] = "Task role holds ECR pull permissions",
        ["Description"] = "The task role of orders-api:3 may pull images, the execution role's job.",
        ["Resources"] = new JsonArray(new JsonObject { ["Type"] = "AwsIamRole", ["Id"] = $"arn:aws:iam::{Account}:role/orders-task" }),
        ["ProductFields"] = new JsonObject { ["era/fingerprint"] = "f-1", ["era/rule"] = "ERA030" },
        ["Compliance"] = new JsonObject { ["Status"] = "FAILED" },
    };
}
