using System.Text.Json;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.EventAudit.Handling;

namespace EcsRoleAuditor.EventAudit.Tests.Handling;

public sealed class SnapshotAccountTests
{
    private const string AppData = "arn:aws:iam::111122223333:policy/app-data";
    private const string Boundary = "arn:aws:iam::111122223333:policy/boundaries/ecs-boundary";
    private const string Missing = "arn:aws:iam::111122223333:policy/not-in-the-file";
    private const string MissingBoundary = "arn:aws:iam::111122223333:policy/boundaries/not-in-the-file";
    private const string Unused = "arn:aws:iam::111122223333:policy/unused";

    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    private const string Allow = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";

    private static string Name(string arn) => arn.Split('/')[^1];

    private static string Role(string name, string[] attached, string? boundary = null)
    {
        var policies = string.Join(',', attached.Select(arn => $$"""{"PolicyName":"{{Name(arn)}}","PolicyArn":"{{arn}}"}"""));
        var fence = boundary is null ? "" : $$""","PermissionsBoundary":{"PermissionsBoundaryType":"Policy","PermissionsBoundaryArn":"{{boundary}}"}""";
        return $$"""{"RoleName":"{{name}}","Arn":"arn:aws:iam::111122223333:role/{{name}}","Path":"/","AssumeRolePolicyDocument":{{Trust}},"RolePolicyList":[{"PolicyName":"app-data","PolicyDocument":{{Allow}}}],"AttachedManagedPolicies":[{{policies}}]{{fence}}}""";
    }

    private static string Policy(string arn) =>
        $$"""{"PolicyName":"{{Name(arn)}}","Arn":"{{arn}}","Path":"/","DefaultVersionId":"v1","PolicyVersionList":[{"VersionId":"v1","IsDefaultVersion":true,"Document":{{Allow}}}]}""";

    // web: app-data attached, ecs-boundary as boundary; api: app-data; legacy: a managed policy whose document the file lacks;
    // fenced: a boundary whose document the file lacks; inline-only: an inline policy named like app-data, nothing attached.
    private static SnapshotAccount Account()
    {
        string[] roles = [Role("web", [AppData], Boundary), Role("api", [AppData]), Role("legacy", [Missing]), Role("fenced", [], MissingBoundary), Role("inline-only", [])];
        var json = $$"""{"RoleDetailList":[{{string.Join(',', roles)}}],"Policies":[{{Policy(AppData)}},{{Policy(Boundary)}},{{Policy(Unused)}}]}""";
        using var document = JsonDocument.Parse(json);
        return new SnapshotAccount(AccountSnapshot.Read(document.RootElement, "account.json"));
    }

    [Theory]
    [InlineData(AppData, new[] { "api", "web" })]
    [InlineData(Boundary, new[] { "web" })]
    [InlineData(Missing, new[] { "legacy" })]
    [InlineData(MissingBoundary, new[] { "fenced" })]
    [InlineData(Unused, new string[0])]
    [InlineData("arn:aws:iam::aws:policy/AdministratorAccess", new string[0])]
    public async Task Roles_using_a_policy_are_those_that_attach_it_or_have_it_as_boundary_even_when_its_document_is_unreadable(string policyArn, string[] roles)
    {
        Assert.Equal(roles, await Account().RolesUsingAsync(policyArn, CancellationToken.None));
    }

    [Fact]
    public async Task The_directory_finds_the_snapshots_roles_by_name_and_arn()
    {
        var directory = Account().Create(RoleDirectoryScope.FewTaskDefinitions);

        Assert.IsType<RoleLookup.Found>(await directory.FindAsync("api", CancellationToken.None));
        Assert.IsType<RoleLookup.Found>(await directory.FindAsync("arn:aws:iam::111122223333:role/web", CancellationToken.None));
        Assert.IsType<RoleLookup.NotFound>(await directory.FindAsync("nobody", CancellationToken.None));
    }

    [Fact]
    public async Task After_the_deadline_lookups_are_cancelled_as_IAM_calls_would_be()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var account = Account();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await account.Create(RoleDirectoryScope.Sweep).FindAsync("api", cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => account.RolesUsingAsync(AppData, cancelled.Token));
    }

    [Fact]
    public async Task A_registration_audited_from_the_snapshot_too_close_to_the_deadline_is_alerted_incomplete()
    {
        var fixture = new HandlerFixture();
        fixture.Roles = new SnapshotAccount(DemoAccount.Snapshot()).Create(RoleDirectoryScope.FewTaskDefinitions);

        await fixture.InvokeAsync(DemoAccount.Event("register-task-definition-violating.json"), remaining: TimeSpan.FromSeconds(2));

        var message = Assert.Single(fixture.Sns.Published);
        Assert.Equal("[MEDIUM] ECS role audit incomplete: 1 task definition not audited", message.Subject);
        Assert.Empty(fixture.Observability.Completed);
    }
}
