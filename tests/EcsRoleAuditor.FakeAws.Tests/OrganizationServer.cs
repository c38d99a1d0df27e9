namespace EcsRoleAuditor.FakeAws.Tests;

/// <summary>
/// One fake server per test class for organization mode: a central account (the primary, 111122223333, eu-west-1, with
/// the sweep queue), member A (444455556666) in eu-west-1 and us-east-1, member B (777788889999) in eu-west-1, and the
/// organization o-exampleorg01 managed by the central account, with a suspended fourth member.
/// </summary>
public sealed class OrganizationServer : IAsyncLifetime
{
    public const string Central = "111122223333";
    public const string MemberA = "444455556666";
    public const string MemberB = "777788889999";
    public const string Suspended = "999900001111";
    public const string OrganizationId = "o-exampleorg01";
    public const string Reader = "EcsRoleAuditorReader";

    public static string ReaderArn(string account) => $"arn:aws:iam::{account}:role/{Reader}";

    public static string TaskDefinitionArn(string account, string region, string family, int revision) =>
        $"arn:aws:ecs:{region}:{account}:task-definition/{family}:{revision}";

    public FakeAwsServer Server { get; private set; } = null!;

    /// <summary>The sweep queue's URL.</summary>
    public string SweepQueueUrl { get; private set; } = null!;

    public static string Trust(string principal, string? condition = null) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{{principal}},"Action":"sts:AssumeRole"{{(condition is null ? "" : $",\"Condition\":{condition}")}}}]}""";

    public static (IReadOnlyList<FakeAccount> Accounts, FakeOrganization Organization) Build()
    {
        var central = new FakeAccount { AccountId = Central, Region = "eu-west-1" };
        central.AddRole("central-only", Trust($$"""{"AWS":"arn:aws:iam::{{Central}}:root"}"""));

        var memberAEurope = new FakeAccount { AccountId = MemberA, Region = "eu-west-1" };
        memberAEurope.AddRole(Reader, Trust($$"""{"AWS":"arn:aws:iam::{{Central}}:root"}"""));
        memberAEurope.AddRole("ecs-only", Trust("""{"Service":"ecs-tasks.amazonaws.com"}"""));
        memberAEurope.AddRole("org-members", Trust("\"*\"", $$$"""{"StringEquals":{"aws:PrincipalOrgID":"{{{OrganizationId}}}"}}"""));
        memberAEurope.AddRole("other-org-members", Trust("""{"AWS":"*"}""", """{"StringEquals":{"aws:PrincipalOrgID":"o-otherorg0001"}}"""));
        memberAEurope.AddTaskDefinition("web", 1, $"arn:aws:iam::{MemberA}:role/web-task", null);
        memberAEurope.AddTaskDefinition("web", 2, $"arn:aws:iam::{MemberA}:role/web-task", null);

        var memberAVirginia = new FakeAccount { AccountId = MemberA, Region = "us-east-1" };
        memberAVirginia.AddRole("web-task", Trust("""{"Service":"ecs-tasks.amazonaws.com"}"""));
        memberAVirginia.AddTaskDefinition("batch", 7, $"arn:aws:iam::{MemberA}:role/web-task", null);

        var memberB = new FakeAccount { AccountId = MemberB, Region = "eu-west-1" };
        memberB.AddRole(Reader, Trust($$"""{"AWS":["arn:aws:iam::{{MemberA}}:role/{{Reader}}"]}"""));

        var organization = new FakeOrganization(OrganizationId, Central);
        organization.AddAccount(Central);
        organization.AddAccount(MemberA);
        organization.AddAccount(MemberB);
        organization.AddAccount(Suspended, status: "SUSPENDED", state: "CLOSED");
        return ([central, memberAEurope, memberAVirginia, memberB], organization);
    }

    public async Task InitializeAsync()
    {
        var (accounts, organization) = Build();
        SweepQueueUrl = accounts[0].AddQueue("era-sweep");
        Server = await FakeAwsServer.StartAsync(accounts, organization);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>Clears faults, records and page caps left by an earlier test of the class.</summary>
    public FakeAwsServer Fresh() => Server.Reset();

    /// <summary>The AWS CLI environment for credentials AssumeRole printed (<c>Credentials</c> of its JSON output).</summary>
    public static Dictionary<string, string> Environment(System.Text.Json.Nodes.JsonNode assumeRoleOutput)
    {
        var credentials = assumeRoleOutput["Credentials"]!;
        return new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = credentials["AccessKeyId"]!.GetValue<string>(),
            ["AWS_SECRET_ACCESS_KEY"] = credentials["SecretAccessKey"]!.GetValue<string>(),
            ["AWS_SESSION_TOKEN"] = credentials["SessionToken"]!.GetValue<string>(),
            ["AWS_MAX_ATTEMPTS"] = "1",
        };
    }
}
