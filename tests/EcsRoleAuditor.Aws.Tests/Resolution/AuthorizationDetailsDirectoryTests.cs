using System.Net;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using static EcsRoleAuditor.Aws.Tests.Resolution.ResolutionFixtures;

namespace EcsRoleAuditor.Aws.Tests.Resolution;

public sealed class AuthorizationDetailsDirectoryTests
{
    private static (AuthorizationDetailsDirectory Directory, ApiCallCounter Counter) Bulk(IIamApi iam)
    {
        var counter = new ApiCallCounter();
        return (new AuthorizationDetailsDirectory(new CountingIamApi(iam, counter), new IamRoleDirectoryOptions(Account, Cache: new ManagedPolicyCache())), counter);
    }

    public static TheoryData<string> Accounts() => ["demo", "example", "example-with-problems"];

    private static InMemoryIamAccount AccountNamed(string name)
    {
        if (name == "demo")
        {
            return InMemoryIamAccount.Demo();
        }
        var account = Example();
        if (name == "example-with-problems")
        {
            account.Add(account.Roles["api"] with { InlinePolicies = [new InlinePolicy("events", "{\"Statement\":[]")], PermissionsBoundaryArn = "arn:aws:iam::111122223333:policy/gone" });
        }
        return account;
    }

    [Theory]
    [MemberData(nameof(Accounts))]
    public async Task The_bulk_directory_answers_the_same_roles_as_the_per_role_directory(string accountName)
    {
        var account = AccountNamed(accountName);
        var (bulk, _) = Bulk(account);
        var (perRole, _) = PerRole(account);

        foreach (var role in account.Roles.Values)
        {
            foreach (var reference in new[] { role.Arn, role.RoleName })
            {
                var expected = Found(await perRole.FindAsync(reference, default));
                var actual = Found(await bulk.FindAsync(reference, default));
                Assert.Equal(Describe(expected), Describe(actual));
            }
        }
        Assert.IsType<RoleLookup.NotFound>(await bulk.FindAsync("arn:aws:iam::111122223333:role/absent", default));
        Assert.IsType<RoleLookup.NotFound>(await perRole.FindAsync("arn:aws:iam::111122223333:role/absent", default));
    }

    [Fact]
    public async Task Every_page_is_read_once_whatever_the_number_of_lookups()
    {
        var account = Example(pageSize: 2);
        var (bulk, counter) = Bulk(account);

        foreach (var name in new[] { "web", "api", "web", "absent", ApiArn })
        {
            await bulk.FindAsync(name, default);
        }

        // 2 roles + 3 managed policies = 5 entities, 2 per page.
        Assert.Equal(3, counter.Total);
        Assert.Equal(3, counter[AwsActions.GetAccountAuthorizationDetails.Action]);
    }

    [Fact]
    public async Task A_boundary_missing_from_the_details_is_an_unreadable_problem()
    {
        var (bulk, _) = Bulk(AccountNamed("example-with-problems"));

        var role = Found(await bulk.FindAsync("api", default));

        Assert.Contains(role.Problems, p => p.Kind == ReadProblemKind.Unreadable && p.Source.Arn == "arn:aws:iam::111122223333:policy/gone");
        Assert.Contains(role.Problems, p => p.Kind == ReadProblemKind.Malformed && p.Source.Name == "events");
    }

    [Fact]
    public async Task Access_denied_on_the_details_makes_every_role_unreadable_naming_the_permission()
    {
        var (bulk, counter) = Bulk(Example().Fail(AwsActions.GetAccountAuthorizationDetails, "account", "AccessDenied", HttpStatusCode.Forbidden));

        var web = Assert.IsType<RoleLookup.Unreadable>(await bulk.FindAsync("web", default));
        var api = Assert.IsType<RoleLookup.Unreadable>(await bulk.FindAsync("api", default));

        Assert.Equal("access denied: iam:GetAccountAuthorizationDetails on account 111122223333 (grant it to the auditor's role)", web.Detail);
        Assert.Equal(web.Detail, api.Detail);
        Assert.Equal(1, counter.Total);
    }
}
