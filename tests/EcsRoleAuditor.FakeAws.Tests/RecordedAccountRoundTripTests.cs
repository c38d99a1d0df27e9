using EcsRoleAuditor.TestData;
using System.Text.Json;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;

namespace EcsRoleAuditor.FakeAws.Tests;

public sealed class RecordedAccountRoundTripTests(DemoServer demo) : IClassFixture<DemoServer>
{
    [Fact]
    public async Task Cli_output_from_the_fake_reads_as_the_same_roles_as_the_demo_file()
    {
        var aws = demo.Fresh();
        aws.MaxPageSize = 3;
        var printed = await AwsCli.RunAsync(aws, "iam", "get-account-authorization-details");
        Assert.Equal(0, printed.ExitCode);

        using var fromFake = JsonDocument.Parse(printed.Stdout);
        using var fromFile = JsonDocument.Parse(File.ReadAllText(DemoAccount.AuthorizationDetailsPath));
        var expected = RecordedAccount.Read(fromFile.RootElement, "demo").Roles.OrderBy(r => r.Arn, StringComparer.Ordinal).Select(Describe).ToList();
        var actual = RecordedAccount.Read(fromFake.RootElement, "demo").Roles.OrderBy(r => r.Arn, StringComparer.Ordinal).Select(Describe).ToList();

        Assert.Equal(5, expected.Count);
        Assert.Contains(expected, role => role.Contains("dynamodb:GetItem", StringComparison.Ordinal) && role.Contains("ecs-tasks.amazonaws.com", StringComparison.Ordinal));
        Assert.Equal(expected, actual);
    }

    /// <summary>A role's content as text (records holding ImmutableArrays do not compare by content).</summary>
    private static string Describe(Role role) => JsonSerializer.Serialize(role);
}
